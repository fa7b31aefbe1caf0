/** Netty plumbing: io_uring where the kernel allows it, else native epoll, NIO off Linux. */
package io.jpgpool.core.net;
