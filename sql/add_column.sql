-- A typed column added to an existing mapping (PATCH updateTableMappings): at the end, where a new table has it
-- too. Existing rows hold the type's default until the table's resync fills the column.
ALTER TABLE `${database}`.`${table}` ADD COLUMN `${column}` ${column_type}
