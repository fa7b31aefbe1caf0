/** placeholder */
package io.jpgpool.pcp;
