package dev.thimble.runtime.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A server-sent-events response written without holding a thread: any thread queues an event, the
 * connection's I/O thread writes the queue as far as the socket takes it and resumes when it is
 * writable again. Opens with a {@code :} comment line (which also sends the headers) and sends
 * another every {@link #KEEP_ALIVE_MILLIS} ms; a client gone away is noticed when a write fails, so
 * at the latest by the next keep-alive or two. A client that reads slower than its events come is
 * cut off once {@link #MAX_QUEUED_BYTES} wait for it.
 *
 * <p>Event data is escaped the way both SDKs unescape it (CLIENT-PROTOCOL §6): {@code %} →
 * {@code %25}, LF → {@code %0A}, CR → {@code %0D}, so one event is always one {@code data:} line.
 */
final class SseStream {
    private static final Logger log = LoggerFactory.getLogger(SseStream.class);
    static final long KEEP_ALIVE_MILLIS = 10_000;
    static final long MAX_QUEUED_BYTES = 16L << 20;
    static final String CONTENT_TYPE = "text/event-stream";
    private static final byte[] COMMENT = ":\n\n".getBytes(StandardCharsets.UTF_8);

    private final HttpServerExchange exchange;
    private final long keepAliveMillis;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>(); // guarded by this
    private long queuedBytes; // guarded by this
    private boolean started; // guarded by this
    private boolean finishing; // guarded by this: end the response once the queue is written
    private boolean drainScheduled; // guarded by this
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Runnable> closeTasks = new CopyOnWriteArrayList<>();
    private final Set<Runnable> ranCloseTasks = ConcurrentHashMap.newKeySet();
    private StreamSinkChannel sink; // set by start, then used on the I/O thread only
    private XnioIoThread io;
    private Drains drains;
    private XnioExecutor.Key keepAlive;

    /** {@code -Dthimble.watch.batchedDrains=false}: one I/O task per stream per event (for before/after measurements). */
    static final boolean BATCHED_DRAINS = !"false".equals(System.getProperty("thimble.watch.batchedDrains"));
    /** Per I/O thread, weakly: servers come and go (tests start many). */
    private static final Map<XnioIoThread, Drains> DRAINS = Collections.synchronizedMap(new WeakHashMap<>());

    SseStream(HttpServerExchange exchange) {
        this(exchange, KEEP_ALIVE_MILLIS);
    }

    SseStream(HttpServerExchange exchange, long keepAliveMillis) {
        this.exchange = exchange;
        this.keepAliveMillis = keepAliveMillis;
        enqueue(ByteBuffer.wrap(COMMENT));
    }

    /** Escapes event data onto one line, as the SDKs undo it. */
    static String escape(String data) {
        StringBuilder out = new StringBuilder(data.length() + 16);
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            switch (c) {
                case '%' -> out.append("%25");
                case '\n' -> out.append("%0A");
                case '\r' -> out.append("%0D");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Queues a {@code message} event; safe from any thread, before or after {@link #start}. */
    void sendData(String data) {
        sendFrame(dataFrame(data));
    }

    /** The bytes of a {@code message} event with this data. */
    static byte[] dataFrame(String data) {
        return ("data: " + escape(data) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Queues a frame made by {@link #dataFrame}; the bytes may be shared with other streams (they are only read). */
    void sendFrame(byte[] frame) {
        enqueue(ByteBuffer.wrap(frame));
    }

    /** Queues an {@code error} event, then ends the response once everything queued is written. */
    void sendErrorAndFinish(String data) {
        enqueue(ByteBuffer.wrap(("event: error\ndata: " + escape(data) + "\n\n").getBytes(StandardCharsets.UTF_8)));
        synchronized (this) {
            finishing = true;
        }
        scheduleDrain();
    }

    /** Runs when the stream ends for any reason (client gone, error, server stopping); at most once. */
    void onClose(Runnable task) {
        closeTasks.add(task);
        if (closed.get()) {
            fireClose();
        }
    }

    boolean isOpen() {
        return !closed.get();
    }

    /**
     * Sends {@code 200 text/event-stream} and starts writing. Call on the request's worker thread,
     * from a task the exchange was dispatched to, so that the exchange stays open when it returns.
     */
    void start() {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        exchange.getResponseHeaders().put(new HttpString("X-Accel-Buffering"), "no");
        exchange.addExchangeCompleteListener((ex, next) -> {
            fireClose();
            next.proceed();
        });
        exchange.getConnection().addCloseListener(connection -> fireClose());
        io = exchange.getIoThread();
        drains = DRAINS.computeIfAbsent(io, Drains::new);
        sink = exchange.getResponseChannel();
        sink.getWriteSetter().set(channel -> drain());
        sink.getCloseSetter().set(channel -> fireClose());
        keepAlive = io.executeAtInterval(() -> enqueue(ByteBuffer.wrap(COMMENT)), keepAliveMillis, TimeUnit.MILLISECONDS);
        synchronized (this) {
            started = true;
        }
        scheduleDrain();
    }

    /** Ends the stream now (the server is stopping, or the watch was closed). */
    void close() {
        if (io == null) {
            fireClose();
            return;
        }
        io.execute(() -> IoUtils.safeClose(exchange.getConnection()));
    }

    private void enqueue(ByteBuffer bytes) {
        boolean overflow;
        synchronized (this) {
            if (closed.get() || finishing) {
                return;
            }
            queue.add(bytes);
            queuedBytes += bytes.remaining();
            overflow = queuedBytes > MAX_QUEUED_BYTES;
        }
        if (overflow) {
            log.warn("A watch client at {} reads too slowly ({} bytes waiting); closing its stream",
                    exchange.getSourceAddress(), MAX_QUEUED_BYTES);
            close();
            return;
        }
        scheduleDrain();
    }

    private void scheduleDrain() {
        synchronized (this) {
            if (!started || drainScheduled || closed.get()) {
                return;
            }
            drainScheduled = true;
        }
        if (BATCHED_DRAINS) {
            drains.add(this);
        } else {
            io.execute(this::drain);
        }
    }

    /**
     * The streams of one I/O thread that have something to write, drained by one task: an event for a thousand
     * streams wakes each I/O thread once, not once per stream (each wake-up is a selector wake-up system call).
     */
    private static final class Drains implements Runnable {
        private final WeakReference<XnioIoThread> io; // weak: the map holding this is weakly keyed by it
        private final ConcurrentLinkedQueue<SseStream> waiting = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        Drains(XnioIoThread io) {
            this.io = new WeakReference<>(io);
        }

        void add(SseStream stream) {
            waiting.add(stream);
            XnioIoThread thread = io.get();
            if (thread != null && scheduled.compareAndSet(false, true)) {
                thread.execute(this);
            }
        }

        @Override
        public void run() {
            scheduled.set(false); // a stream added from here on schedules another run
            for (SseStream stream; (stream = waiting.poll()) != null; ) {
                stream.drain();
            }
        }
    }

    /** On the I/O thread: writes what is queued until the socket stops taking it. */
    private void drain() {
        synchronized (this) {
            drainScheduled = false;
        }
        if (closed.get()) {
            return;
        }
        try {
            while (true) {
                ByteBuffer head;
                synchronized (this) {
                    head = queue.peek();
                }
                if (head == null) {
                    break;
                }
                int before = head.remaining();
                sink.write(head);
                int written = before - head.remaining();
                synchronized (this) {
                    queuedBytes -= written;
                }
                if (head.hasRemaining()) {
                    sink.resumeWrites(); // the write listener calls drain again when writable
                    return;
                }
                synchronized (this) {
                    queue.poll();
                }
            }
            boolean finish;
            synchronized (this) {
                finish = finishing && queue.isEmpty();
            }
            if (finish) {
                sink.shutdownWrites();
            }
            if (!sink.flush()) {
                sink.resumeWrites();
                return;
            }
            sink.suspendWrites();
            if (finish) {
                IoUtils.safeClose(sink);
                fireClose();
            }
        } catch (IOException e) {
            log.debug("A watch stream to {} ended: {}", exchange.getSourceAddress(), e.toString());
            IoUtils.safeClose(exchange.getConnection());
            fireClose();
        }
    }

    private void fireClose() {
        if (closed.compareAndSet(false, true)) {
            if (keepAlive != null) {
                keepAlive.remove();
            }
            synchronized (this) {
                queue.clear();
                queuedBytes = 0;
            }
        }
        for (Runnable task : closeTasks) {
            runOnce(task);
        }
    }

    private void runOnce(Runnable task) {
        if (ranCloseTasks.add(task)) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("A watch stream's close task failed", e);
            }
        }
    }
}
