package io.rktlet.store;

import io.rktlet.state.ContainerRecord;
import io.rktlet.state.ImageRecord;
import io.rktlet.state.SandboxRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * rktlet's crash-safe record of sandboxes, containers and images: an SQLite database in WAL
 * mode with synchronous=FULL, so a record written before a crash (even a power loss) is there
 * after it. Each row holds one record as JSON; the in-memory index is loaded from here at start
 * and every change is written here first.
 */
public final class Store implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Store.class);

  private static final String[] TABLES = {"sandboxes", "containers", "images"};

  private final Connection connection;
  private final RecordCodec codec = new RecordCodec();

  private Store(Connection connection) {
    this.connection = connection;
  }

  /** Opens (creating if needed) the database file {@code rktlet.db} in {@code stateDir}. */
  public static Store open(Path stateDir) throws SQLException {
    try {
      Files.createDirectories(stateDir);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create state directory " + stateDir + ": " + e, e);
    }
    Path file = stateDir.resolve("rktlet.db");
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA journal_mode=WAL");
      statement.execute("PRAGMA synchronous=FULL");
      statement.execute("PRAGMA busy_timeout=5000");
      for (String table : TABLES) {
        statement.execute("CREATE TABLE IF NOT EXISTS " + table
            + " (id TEXT PRIMARY KEY, data TEXT NOT NULL)");
      }
    }
    log.info("Opened state database {}", file);
    return new Store(connection);
  }

  public void putSandbox(SandboxRecord record) {
    put("sandboxes", record.id(), record);
  }

  public void deleteSandbox(String id) {
    delete("sandboxes", id);
  }

  public List<SandboxRecord> sandboxes() {
    return all("sandboxes", SandboxRecord.class);
  }

  public void putContainer(ContainerRecord record) {
    put("containers", record.id(), record);
  }

  public void deleteContainer(String id) {
    delete("containers", id);
  }

  public List<ContainerRecord> containers() {
    return all("containers", ContainerRecord.class);
  }

  public void putImage(ImageRecord record) {
    put("images", record.id(), record);
  }

  public void deleteImage(String id) {
    delete("images", id);
  }

  public List<ImageRecord> images() {
    return all("images", ImageRecord.class);
  }

  private synchronized void put(String table, String id, Object record) {
    String sql = "INSERT INTO " + table + " (id, data) VALUES (?, ?) "
        + "ON CONFLICT(id) DO UPDATE SET data = excluded.data";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, id);
      statement.setString(2, codec.encode(record));
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("failed to write " + table + " record " + id, e);
    }
  }

  private synchronized void delete(String table, String id) {
    try (PreparedStatement statement =
        connection.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
      statement.setString(1, id);
      statement.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("failed to delete " + table + " record " + id, e);
    }
  }

  private synchronized <T> List<T> all(String table, Class<T> type) {
    List<T> records = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id, data FROM " + table)) {
      while (rows.next()) {
        records.add(codec.decode(rows.getString("data"), type));
      }
    } catch (SQLException e) {
      throw new StoreException("failed to read " + table, e);
    }
    return records;
  }

  @Override
  public synchronized void close() throws SQLException {
    connection.close();
  }
}
