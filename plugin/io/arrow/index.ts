export { ArrowFormatError, type ColumnData, type Columns, column, columnsFromIPC, columnsToIPC, columnsToTable, type NumericColumn, readColumnsArrow, tableToColumns, writeColumnsArrow } from './columns.ts'
export { type EmbeddingTable, embeddingsFromIPC, embeddingsToIPC, embeddingsToTable, flattenFloat32Lists, readEmbeddingsArrow, tableToEmbeddings, writeEmbeddingsArrow } from './embeddings.ts'
