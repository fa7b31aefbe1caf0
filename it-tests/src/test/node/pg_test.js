'use strict';
// node-postgres against jpgpool, run by NodePostgresTest: parameterised statements ($1, sent with the extended
// query protocol), a named prepared statement, a committed and a rolled-back transaction, an error. Connection
// settings come from PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE; what the client saw is printed as one
// JSON object on stdout. Expects the table node_items (id int primary key, name text, qty int, price numeric,
// active boolean, note text) with rows 1, 2 and 3 already there.
const { Client } = require('pg');

function setting(name) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set`);
  }
  return value;
}

async function main() {
  const client = new Client({
    host: setting('PGHOST'),
    port: Number(setting('PGPORT')),
    user: setting('PGUSER'),
    password: process.env.PGPASSWORD,
    database: setting('PGDATABASE'),
  });
  await client.connect();
  const seen = {};
  try {
    const inserted = await client.query(
      'INSERT INTO node_items (id, name, qty, price, active, note) VALUES ($1, $2, $3, $4, $5, $6) '
        + 'RETURNING id, name, qty, price, active, note',
      [101, 'widget', 7, '12.50', true, null]);
    seen.insert = { command: inserted.command, rowCount: inserted.rowCount, row: inserted.rows[0] };

    const seeded = await client.query('SELECT id, name, qty FROM node_items WHERE id = $1', [1]);
    seen.seededRow = seeded.rows;

    seen.preparedNames = [];
    for (const id of [1, 2, 3, 999]) {
      const r = await client.query({ name: 'item-name', text: 'SELECT name FROM node_items WHERE id = $1', values: [id] });
      seen.preparedNames.push(r.rows.length ? r.rows[0].name : null);
    }

    await client.query('BEGIN');
    await client.query('INSERT INTO node_items (id, name, qty) VALUES ($1, $2, $3)', [102, 'gadget', 3]);
    const ownWrite = await client.query('SELECT name, qty FROM node_items WHERE id = $1 /* in transaction */', [102]);
    await client.query('COMMIT');
    seen.committed = { readInTransaction: ownWrite.rows };

    await client.query('BEGIN');
    await client.query('INSERT INTO node_items (id, name, qty) VALUES ($1, $2, $3)', [103, 'gizmo', 1]);
    const beforeRollback = await client.query('SELECT count(*)::int AS n FROM node_items WHERE id = $1', [103]);
    await client.query('ROLLBACK');
    seen.rolledBack = { countInTransaction: beforeRollback.rows[0].n };

    try {
      await client.query('SELECT 1 / $1::int AS x', [0]);
      seen.divisionByZero = null;
    } catch (e) {
      seen.divisionByZero = e.code;
    }
    const after = await client.query('SELECT $1::text || $2::text AS s', ['still ', 'here']);
    seen.afterError = after.rows[0].s;
  } finally {
    await client.end();
  }
  process.stdout.write(`${JSON.stringify(seen)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
