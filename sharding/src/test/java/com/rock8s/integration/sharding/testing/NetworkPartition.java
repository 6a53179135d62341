package com.rock8s.integration.sharding.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between a test's clients and the API server that the test can cut. {@link Mode#HANG}: nothing passes
 * any more and new connections are accepted but never answered (a silent network partition); {@link Mode#REFUSE}:
 * every connection is reset at once. Bytes sent during a partition are never delivered: healing closes every
 * connection that saw the partition, as a real partition long enough to time out would.
 */
public final class NetworkPartition implements AutoCloseable {
    /** What the network does. */
    public enum Mode { HEALTHY, HANG, REFUSE }

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object healed = new Object();
    private volatile Mode mode = Mode.HEALTHY;
    private volatile long partitionEpoch;
    private volatile InetSocketAddress upstream;

    public NetworkPartition() {
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "partition-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A client for {@code base}'s API server whose traffic goes through this partition. */
    public KubernetesClient client(Config base) {
        return new KubernetesClientBuilder().withConfig(route(base)).build();
    }

    /**
     * {@code base} with its server address replaced by this partition's; TLS passes through unchanged (the local
     * control plane's serving certificate names 127.0.0.1).
     */
    public Config route(Config base) {
        URI api = URI.create(base.getMasterUrl());
        int port = api.getPort() != -1 ? api.getPort() : "https".equals(api.getScheme()) ? 443 : 80;
        upstream = new InetSocketAddress(api.getHost(), port);
        return new ConfigBuilder(base)
                .withMasterUrl(api.getScheme() + "://127.0.0.1:" + listener.getLocalPort())
                .build();
    }

    public Mode mode() {
        return mode;
    }

    /** Cuts or heals the network. */
    public void set(Mode next) {
        Mode previous = mode;
        if (next != Mode.HEALTHY) {
            partitionEpoch++;
        }
        mode = next;
        if (next == Mode.REFUSE || previous != Mode.HEALTHY && next == Mode.HEALTHY) {
            closeAll();
        }
        if (next == Mode.HEALTHY) {
            synchronized (healed) {
                healed.notifyAll();
            }
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket downstream = listener.accept();
                if (mode == Mode.REFUSE) {
                    downstream.setSoLinger(true, 0);
                    downstream.close();
                    continue;
                }
                open.add(downstream);
                Thread connector = new Thread(() -> connect(downstream), "partition-conn");
                connector.setDaemon(true);
                connector.start();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void connect(Socket downstream) {
        long epoch = partitionEpoch;
        if (!awaitHealthy(downstream)) {
            return;
        }
        try {
            Socket up = new Socket();
            up.connect(upstream);
            open.add(up);
            pump(downstream, up, epoch);
            pump(up, downstream, epoch);
        } catch (IOException e) {
            quietlyClose(downstream);
        }
    }

    /** Waits while the network hangs; false when the connection is closed meanwhile. */
    private boolean awaitHealthy(Socket connection) {
        synchronized (healed) {
            while (mode == Mode.HANG && !connection.isClosed()) {
                try {
                    healed.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !connection.isClosed() && mode == Mode.HEALTHY;
    }

    private void pump(Socket from, Socket to, long epoch) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    // Bytes read during or across a partition are dropped with their connection.
                    if (!awaitHealthy(from) || partitionEpoch != epoch) {
                        break;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // connection closed
            } finally {
                quietlyClose(from);
                quietlyClose(to);
            }
        }, "partition-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeAll() {
        for (Socket socket : open) {
            quietlyClose(socket);
        }
        open.clear();
    }

    private static void quietlyClose(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        closeAll();
        synchronized (healed) {
            healed.notifyAll();
        }
    }
}
