#!/bin/sh
# Patroni runs this once, on the first primary, right after initdb and before any other host copies it: the
# services' role and databases exist on every node from the start. The password comes from the environment
# (CHANCE_DB_PASSWORD), never from a file in the repository. $1 is Patroni's superuser connection string.
set -eu
psql -X -q -v ON_ERROR_STOP=1 -v pw="$CHANCE_DB_PASSWORD" "$1" <<'SQL'
CREATE ROLE chance LOGIN PASSWORD :'pw';
CREATE DATABASE chance_identity OWNER chance;
CREATE DATABASE chance_premieres OWNER chance;
CREATE DATABASE chance_billing OWNER chance;
CREATE DATABASE chance_notifications OWNER chance;
CREATE DATABASE chance_gateway OWNER chance;
SQL
