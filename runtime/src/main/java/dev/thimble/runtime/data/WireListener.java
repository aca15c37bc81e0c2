package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.wire.MongoDatabaseHandler;
import de.bwaldvogel.mongo.wire.MongoExceptionHandler;
import de.bwaldvogel.mongo.wire.MongoWireMessageEncoder;
import de.bwaldvogel.mongo.wire.MongoWireProtocolHandler;
import de.bwaldvogel.mongo.wire.MongoWireReplyEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Speaks the MongoDB wire protocol for one backend, on a Unix domain socket and, only when asked,
 * on a loopback TCP port. The library's own {@code MongoServer} can listen on TCP only; this is the
 * same pipeline of the library's handlers on the listeners we choose. The socket lives in an
 * owner-only directory, so only this user's processes can connect to it, where a TCP port on
 * loopback is open to every local process (the server has no authentication).
 */
final class WireListener implements AutoCloseable {

    /**
     * The library runs each command on its connection's event-loop thread, and a write blocks that thread
     * until its commit is on disk. Netty's default (2 per core) let only 4 writers wait for a commit at
     * once, so group commit could share each fsync among at most 4 writes; with a loop per connection of
     * a busy server the writers of all concurrent requests share one (decision 0002, issue 18). Idle loops
     * cost a parked thread each.
     */
    static final int WORKER_THREADS = Integer.getInteger("thimble.db.workerThreads", 32);

    static {
        // Before Netty's allocator is first used: heap buffers without pooling. The default pooled direct
        // allocator kept ~45 MB of native memory for the 32 event loops of a 16-client run, most of the
        // "Other" line of -XX:NativeMemoryTracking (bench/results/serve-memory.md); commands and replies
        // here are small and their cost is the commit. -Dio.netty.allocator.type=... still wins.
        System.getProperties().putIfAbsent("io.netty.allocator.type", "unpooled");
        System.getProperties().putIfAbsent("io.netty.noPreferDirect", "true");
    }

    private final MongoBackend backend;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ChannelGroup clients;
    private final List<Channel> listening = new ArrayList<>();
    private final List<Path> sockets = new ArrayList<>();

    WireListener(MongoBackend backend) {
        this.backend = backend;
        this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("thimble-db-accept", true), NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(WORKER_THREADS, new DefaultThreadFactory("thimble-db-worker", true), NioIoHandler.newFactory());
        this.clients = new DefaultChannelGroup("thimble-db-clients", workers.next());
    }

    /** Listens on a Unix domain socket at {@code socket}, replacing a stale socket file left by a dead process. */
    Path bindSocket(Path socket) throws IOException {
        Files.deleteIfExists(socket);
        bind(NioServerDomainSocketChannel.class, UnixDomainSocketAddress.of(socket));
        sockets.add(socket);
        return socket;
    }

    /** Listens on {@code host:port} (0 for any free port); answers the address bound. */
    InetSocketAddress bindTcp(String host, int port) {
        Channel channel = bind(NioServerSocketChannel.class, new InetSocketAddress(host, port));
        return (InetSocketAddress) channel.localAddress();
    }

    private Channel bind(Class<? extends ServerChannel> type, SocketAddress address) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, 100)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(
                                new MongoWireReplyEncoder(),
                                new MongoWireMessageEncoder(),
                                new MongoWireProtocolHandler(),
                                new MongoDatabaseHandler(backend, clients),
                                new MongoExceptionHandler());
                    }
                });
        if (type == NioServerSocketChannel.class) {
            bootstrap.childOption(ChannelOption.TCP_NODELAY, true);
        }
        Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
        listening.add(channel);
        return channel;
    }

    /** Stops listening, closes the open connections, then the backend (which closes its file). */
    @Override
    public void close() {
        for (Channel channel : listening) {
            channel.close().syncUninterruptibly();
        }
        for (Path socket : sockets) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException ignored) {
                // a leftover socket file is replaced at the next start
            }
        }
        clients.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        boss.terminationFuture().syncUninterruptibly();
        workers.terminationFuture().syncUninterruptibly();
        backend.close();
    }
}
