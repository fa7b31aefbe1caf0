/** Netty plumbing: the native epoll transport where it exists, NIO elsewhere. */
package io.jpgpool.core.net;
