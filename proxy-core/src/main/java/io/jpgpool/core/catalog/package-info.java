/**
 * What routing needs to know from the database catalogs: which functions are VOLATILE and which tables are
 * UNLOGGED (SEMANTICS A.4, A.5), cached per database.
 */
package io.jpgpool.core.catalog;
