package io.berth.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

class SqliteConnectionsTest {
    private static final int COUNT = 3;

    @TempDir
    Path directory;
    private SqliteConnections connections;

    @BeforeEach
    void open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + directory.resolve("test.db"));
        connections = SqliteConnections.open(source, COUNT);
        Connection connection = connections.take();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (v TEXT)");
        } finally {
            connections.giveBack(connection);
        }
    }

    @AfterEach
    void close() {
        connections.close();
    }

    @Test
    void lendsEachConnectionToOneCallerAtATime() throws Exception {
        List<Connection> taken = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            taken.add(connections.take());
        }
        assertEquals(COUNT, new HashSet<>(taken).size());

        CompletableFuture<Connection> next = CompletableFuture.supplyAsync(connections::take);
        Thread.sleep(200);
        assertFalse(next.isDone(), "a caller waits while every connection is lent out");

        connections.giveBack(taken.get(1));
        assertEquals(taken.get(1), next.get(5, TimeUnit.SECONDS));
    }

    @Test
    void tellsHowManyConnectionsAreLentOutAndWaitedFor() throws Exception {
        assertEquals(new ConnectionUse(COUNT, 0, 0), connections.use());
        List<Connection> taken = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            taken.add(connections.take());
        }
        assertEquals(new ConnectionUse(COUNT, COUNT, 0), connections.use());

        CompletableFuture<Connection> next = CompletableFuture.supplyAsync(connections::take);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (connections.use().waiting() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(new ConnectionUse(COUNT, COUNT, 1), connections.use());

        connections.giveBack(taken.get(0));
        taken.set(0, next.get(5, TimeUnit.SECONDS));
        assertEquals(new ConnectionUse(COUNT, COUNT, 0), connections.use());
        taken.forEach(connections::giveBack);
        assertEquals(new ConnectionUse(COUNT, 0, 0), connections.use());
    }

    @Test
    void servesWaitingCallersInTheOrderTheyCame() throws Exception {
        List<Connection> taken = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            taken.add(connections.take());
        }
        List<String> served = new CopyOnWriteArrayList<>();
        List<Thread> waiting = new ArrayList<>();
        for (String name : List.of("first", "second", "third")) {
            Thread thread = Thread.ofVirtual().start(() -> {
                Connection connection = connections.take();
                served.add(name);
                connections.giveBack(connection);
            });
            awaitWaiting(thread);
            waiting.add(thread);
        }
        connections.giveBack(taken.getFirst());
        for (Thread thread : waiting) {
            assertTrue(thread.join(Duration.ofSeconds(5)));
        }
        assertEquals(List.of("first", "second", "third"), served);
        connections.giveBack(taken.get(1));
        connections.giveBack(taken.get(2));
    }

    @Test
    void rollsBackAConnectionGivenBackInsideATransaction() throws Exception {
        Connection connection = connections.take();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO t VALUES ('uncommitted')");
        }
        connections.giveBack(connection);

        assertTrue(connection.getAutoCommit());
        Connection other = connections.take();
        try (Statement statement = other.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM t")) {
            rows.next();
            assertEquals(0, rows.getInt(1));
        } finally {
            connections.giveBack(other);
        }
    }

    @Test
    void replacesAConnectionGivenBackClosed() throws Exception {
        Connection connection = connections.take();
        connection.close();
        connections.giveBack(connection);

        assertEquals(COUNT, connections.size());
        Set<Connection> all = new HashSet<>();
        for (int i = 0; i < COUNT; i++) {
            Connection lent = connections.take();
            assertFalse(lent.isClosed());
            assertNotSame(connection, lent);
            all.add(lent);
        }
        all.forEach(connections::giveBack);
    }

    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(Thread.State.WAITING, thread.getState());
    }
}
