/**
 * {@code bin/jpgpool}: the command line (Pgpool-II's options), start and clean stop of a server, and the demo
 * that brings its own PostgreSQL cluster.
 */
package io.jpgpool.launcher;
