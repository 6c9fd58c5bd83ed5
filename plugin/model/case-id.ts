/** A case's id from its test file and title: one rule for the case session and the reporter (skipped cases). */

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80)
}

export function caseIdFor(file: string, title: string): string {
  return `${slug(file.replace(/^(?:.*\/)?(benches|validations)\//, ''))}--${slug(title)}`
}
