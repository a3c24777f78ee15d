-- The destination database of a pipe; created when missing.
CREATE DATABASE IF NOT EXISTS `${database}`
