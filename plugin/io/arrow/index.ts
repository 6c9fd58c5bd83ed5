export { ArrowFormatError, type ColumnData, type Columns, column, columnsFromIPC, columnsToIPC, columnsToTable, type NumericColumn, readColumnsArrow, tableToColumns, writeColumnsArrow } from './columns.ts'
export { type EmbeddingTable, embeddingsFromIPC, embeddingsToIPC, embeddingsToTable, readEmbeddingsArrow, tableToEmbeddings, writeEmbeddingsArrow } from './embeddings.ts'
