/** placeholder */
package io.jpgpool.launcher;
