/**
 * The admin API: what SHOW pool_* on the SQL port and the PCP server both report, computed in one place so
 * every view agrees.
 */
package io.jpgpool.core.admin;
