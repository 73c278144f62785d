// Tests of SQLite's group commit: a batch of write transactions in one COMMIT, each in its own
// savepoint (RunSqliteWriteBatch), and the queue that forms batches from concurrent writers
// (SqliteGroupCommit through SqliteDb::Write and WriteAsync).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_write_batch.h"
#include "store_test_fixture.h"

namespace countersign::testing_store {
namespace {

using Body = std::function<Status(SqlConnection&)>;

// A file database with two tables: items, and children whose parent key is checked only at
// COMMIT (a deferred foreign key), so a test can make a COMMIT fail.
class WriteBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<std::unique_ptr<SqliteConnection>> opened =
        SqliteConnection::Open(dir_.path() + "/batch.db");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    connection_ = std::move(*opened);
    ASSERT_TRUE(connection_
                    ->Exec("PRAGMA journal_mode = WAL;"
                           "CREATE TABLE items (name TEXT PRIMARY KEY);"
                           "CREATE TABLE children (parent TEXT REFERENCES items(name) "
                           "DEFERRABLE INITIALLY DEFERRED)")
                    .ok());
  }

  static Body Insert(std::string name) {
    return [name](SqlConnection& connection) -> Status {
      CS_ASSIGN_OR_RETURN(SqlStatement insert,
                          connection.Prepare("INSERT INTO items (name) VALUES (?1)"));
      return insert.Bind(1, name).Run();
    };
  }

  int64_t Count(const std::string& where) {
    StatusOr<SqlStatement> count = connection_->Prepare("SELECT COUNT(*) FROM items " + where);
    if (!count.ok() || !count->Step().ok()) return -1;
    return count->Int(0);
  }

  SqliteBatchOutcome RunBatch(const std::vector<Body>& bodies,
                              std::vector<SqliteBatchMember>& members) {
    members.assign(bodies.size(), SqliteBatchMember{});
    std::vector<SqliteBatchMember*> pointers;
    for (size_t i = 0; i < bodies.size(); ++i) {
      members[i].body = &bodies[i];
      pointers.push_back(&members[i]);
    }
    return RunSqliteWriteBatch(*connection_, pointers);
  }

  ScratchDir dir_;
  std::unique_ptr<SqliteConnection> connection_;
};

TEST_F(WriteBatchTest, AFailingMemberIsRolledBackAloneAndTheRestCommitOnce) {
  const std::vector<Body> bodies = {
      Insert("a"),
      [](SqlConnection& connection) -> Status {  // writes, then fails
        CS_RETURN_IF_ERROR(Insert("b")(connection));
        return Conflict("changed my mind");
      },
      Insert("a"),                               // a unique violation, after "a" went in
      [](SqlConnection& connection) -> Status {  // writes, then throws
        CS_RETURN_IF_ERROR(Insert("t")(connection));
        throw std::runtime_error("boom");
      },
      Insert("c"),
  };
  std::vector<SqliteBatchMember> members;
  SqliteBatchOutcome outcome = RunBatch(bodies, members);
  EXPECT_TRUE(members[0].status.ok()) << members[0].status.ToString();
  EXPECT_EQ(members[1].status.code(), Code::kConflict);
  EXPECT_EQ(members[2].status.code(), Code::kConflict);
  EXPECT_EQ(members[3].status.code(), Code::kInternal);
  EXPECT_TRUE(members[3].thrown != nullptr);
  EXPECT_TRUE(members[4].status.ok()) << members[4].status.ToString();
  EXPECT_EQ(outcome.commits, 1);
  EXPECT_EQ(outcome.transactions, 2);
  EXPECT_FALSE(connection_->InTransaction());
  EXPECT_EQ(Count(""), 2);
  EXPECT_EQ(Count("WHERE name IN ('a', 'c')"), 2);
}

TEST_F(WriteBatchTest, AFailedCommitFailsEveryMemberOfTheBatch) {
  const std::vector<Body> bodies = {
      Insert("a"),
      [](SqlConnection& connection) -> Status {  // a child without parent: COMMIT fails
        CS_ASSIGN_OR_RETURN(SqlStatement insert,
                            connection.Prepare("INSERT INTO children (parent) VALUES ('none')"));
        return insert.Run();
      },
      Insert("b"),
  };
  std::vector<SqliteBatchMember> members;
  SqliteBatchOutcome outcome = RunBatch(bodies, members);
  for (const SqliteBatchMember& member : members) EXPECT_FALSE(member.status.ok());
  EXPECT_EQ(outcome.commits, 0);
  EXPECT_EQ(outcome.transactions, 0);
  EXPECT_FALSE(connection_->InTransaction());
  EXPECT_EQ(Count(""), 0);
}

TEST_F(WriteBatchTest, WhenTheTransactionIsLostTheBodiesBeforeRunAgain) {
  // A member that ends the whole transaction (as SQLite does after an I/O error or a full
  // disk) loses the writes of those before it; they run again in a new transaction.
  int runs_of_a = 0;
  const std::vector<Body> bodies = {
      [&runs_of_a](SqlConnection& connection) -> Status {
        ++runs_of_a;
        return Insert("a")(connection);
      },
      [](SqlConnection& connection) -> Status {
        (void)connection.Exec("ROLLBACK");
        return Internal("disk I/O error");
      },
      Insert("b"),
  };
  std::vector<SqliteBatchMember> members;
  SqliteBatchOutcome outcome = RunBatch(bodies, members);
  EXPECT_TRUE(members[0].status.ok()) << members[0].status.ToString();
  EXPECT_EQ(members[1].status.code(), Code::kInternal);
  EXPECT_TRUE(members[2].status.ok()) << members[2].status.ToString();
  EXPECT_EQ(runs_of_a, 2);
  EXPECT_EQ(outcome.commits, 1);
  EXPECT_EQ(outcome.transactions, 2);
  EXPECT_EQ(Count(""), 2);
}

TEST_F(WriteBatchTest, ALoneMemberCommitsOrRollsBack) {
  std::vector<SqliteBatchMember> members;
  EXPECT_EQ(RunBatch({Insert("a")}, members).commits, 1);
  EXPECT_TRUE(members[0].status.ok());
  SqliteBatchOutcome failed = RunBatch({Insert("a")}, members);
  EXPECT_EQ(members[0].status.code(), Code::kConflict);
  EXPECT_EQ(failed.commits, 0);
  EXPECT_FALSE(connection_->InTransaction());
  EXPECT_EQ(Count(""), 1);
}

// SqliteDb with one table for the tests of the queue.
std::unique_ptr<SqliteDb> OpenItemsDb(const std::string& path, int pool_size) {
  static const std::vector<EmbeddedFile> kMigrations = {
      {"0001_items.sql", "CREATE TABLE items (name TEXT PRIMARY KEY);"}};
  StatusOr<std::unique_ptr<SqliteDb>> db = SqliteDb::Open(path, pool_size, kMigrations);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(*db) : nullptr;
}

Status InsertItem(SqlDatabase& db, const std::string& name) {
  return db.Write([&](SqlConnection& connection) -> Status {
    CS_ASSIGN_OR_RETURN(SqlStatement insert,
                        connection.Prepare("INSERT INTO items (name) VALUES (?1)"));
    return insert.Bind(1, name).Run();
  });
}

int64_t CountItems(SqlDatabase& db) {
  StatusOr<int64_t> count = db.Read([](SqlConnection& connection) -> StatusOr<int64_t> {
    CS_ASSIGN_OR_RETURN(SqlStatement select, connection.Prepare("SELECT COUNT(*) FROM items"));
    CS_RETURN_IF_ERROR(select.Step().status());
    return select.Int(0);
  });
  return count.ok() ? *count : -1;
}

TEST(SqliteGroupCommitTest, ConcurrentWritersShareCommits) {
  ScratchDir dir;
  std::unique_ptr<SqliteDb> db = OpenItemsDb(dir.path() + "/gc.db", 4);
  ASSERT_NE(db, nullptr);
  constexpr int kWriters = 32;
  // The first write holds its batch open until the others have been started, so they queue
  // behind it and commit together.
  std::atomic<bool> first_running{false};
  std::atomic<int> started{0};
  std::thread first([&] {
    Status status = db->Write([&](SqlConnection& connection) -> Status {
      first_running = true;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (started < kWriters - 1 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let them reach the queue
      CS_ASSIGN_OR_RETURN(SqlStatement insert,
                          connection.Prepare("INSERT INTO items (name) VALUES ('first')"));
      return insert.Run();
    });
    EXPECT_TRUE(status.ok()) << status.ToString();
  });
  while (!first_running) std::this_thread::yield();
  std::vector<std::thread> others;
  std::atomic<int> failed{0};
  for (int i = 1; i < kWriters; ++i) {
    others.emplace_back([&, i] {
      ++started;
      // Every fifth one fails after writing: rolled back alone.
      Status status = db->Write([&](SqlConnection& connection) -> Status {
        CS_ASSIGN_OR_RETURN(SqlStatement insert,
                            connection.Prepare("INSERT INTO items (name) VALUES (?1)"));
        CS_RETURN_IF_ERROR(insert.Bind(1, "item" + std::to_string(i)).Run());
        if (i % 5 == 0) return Conflict("no");
        return Status::Ok();
      });
      if (!status.ok()) ++failed;
    });
  }
  first.join();
  for (std::thread& thread : others) thread.join();
  const int expected_failures = (kWriters - 1) / 5;
  EXPECT_EQ(failed, expected_failures);
  EXPECT_EQ(CountItems(*db), kWriters - expected_failures);
  SqliteCommitStats stats = db->CommitStats();
  EXPECT_EQ(stats.transactions, static_cast<uint64_t>(kWriters - expected_failures));
  EXPECT_LT(stats.commits, static_cast<uint64_t>(kWriters) / 2) << stats.commits;
  EXPECT_GE(stats.commits, 2u);
}

TEST(SqliteGroupCommitTest, ALoneWriterCommitsAtOnceAndNestedWritesAreRefused) {
  std::unique_ptr<SqliteDb> db = OpenItemsDb(":memory:", 2);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(InsertItem(*db, "a").ok());
  EXPECT_EQ(db->CommitStats().commits, 1u);
  EXPECT_EQ(db->CommitStats().transactions, 1u);
  Status nested;
  Status outer = db->Write([&](SqlConnection&) -> Status {
    nested = InsertItem(*db, "b");
    return Status::Ok();
  });
  EXPECT_TRUE(outer.ok());
  EXPECT_EQ(nested.code(), Code::kInternal);
  EXPECT_EQ(CountItems(*db), 1);
}

// Writes run on the group commit's own connection: one goes through while readers hold every
// pooled connection.
TEST(SqliteGroupCommitTest, AWriteDoesNotWaitForAPooledConnection) {
  std::unique_ptr<SqliteDb> db = OpenItemsDb(":memory:", 1);
  ASSERT_NE(db, nullptr);
  std::promise<Status> written;
  std::future<Status> result = written.get_future();
  std::thread writer;
  Status read = db->Read([&](SqlConnection&) -> Status {
    writer = std::thread([&] { written.set_value(InsertItem(*db, "a")); });
    // Wait inside the read, holding the pool's only connection.
    EXPECT_EQ(result.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    return Status::Ok();
  });
  writer.join();
  EXPECT_TRUE(read.ok());
  EXPECT_TRUE(result.get().ok());
  EXPECT_EQ(CountItems(*db), 1);
}

TEST(SqliteGroupCommitTest, AnExceptionReachesItsOwnCaller) {
  std::unique_ptr<SqliteDb> db = OpenItemsDb(":memory:", 2);
  ASSERT_NE(db, nullptr);
  EXPECT_THROW((void)db->Write([](SqlConnection&) -> Status { throw std::runtime_error("x"); }),
               std::runtime_error);
  EXPECT_TRUE(InsertItem(*db, "a").ok());  // the queue still works
  EXPECT_EQ(CountItems(*db), 1);
}

// Counts the `done` callbacks of WriteAsync calls, so a test can wait for all of them.
class Answers {
 public:
  void Add(const Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    ++answered_;
    if (!status.ok()) ++failed_;
    changed_.notify_all();
  }
  // True once `n` answers came (within 10 s).
  bool WaitFor(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, std::chrono::seconds(10), [&] { return answered_ >= n; });
  }
  int failed() {
    std::lock_guard<std::mutex> lock(mu_);
    return failed_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  int answered_ = 0;
  int failed_ = 0;
};

TEST(SqliteGroupCommitTest, AsyncWritesShareCommitsAndAnswerOnceCommitted) {
  ScratchDir dir;
  std::unique_ptr<SqliteDb> db = OpenItemsDb(dir.path() + "/async.db", 4);
  ASSERT_NE(db, nullptr);
  constexpr int kWriters = 40;
  // The first write holds the committer until the others are queued behind it.
  std::atomic<bool> release{false};
  Answers answers;
  db->WriteAsync(
      [&](SqlConnection& connection) -> Status {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        CS_ASSIGN_OR_RETURN(SqlStatement insert,
                            connection.Prepare("INSERT INTO items (name) VALUES ('first')"));
        return insert.Run();
      },
      [&](Status status) { answers.Add(status); });
  std::atomic<int> unseen{0};  // answered OK but not readable yet: must stay 0
  for (int i = 1; i < kWriters; ++i) {
    const std::string name = "item" + std::to_string(i);
    db->WriteAsync(
        [name, i](SqlConnection& connection) -> StatusOr<int> {
          CS_ASSIGN_OR_RETURN(SqlStatement insert,
                              connection.Prepare("INSERT INTO items (name) VALUES (?1)"));
          CS_RETURN_IF_ERROR(insert.Bind(1, name).Run());
          if (i % 5 == 0) return Conflict("no");  // rolled back alone
          return i;
        },
        [&, name, i](StatusOr<int> result) {
          if (result.ok() && *result != i) ++unseen;
          if (result.ok()) {
            StatusOr<bool> found = db->Read([&](SqlConnection& connection) -> StatusOr<bool> {
              CS_ASSIGN_OR_RETURN(SqlStatement select,
                                  connection.Prepare("SELECT 1 FROM items WHERE name = ?1"));
              return select.Bind(1, name).Step();
            });
            if (!found.ok() || !*found) ++unseen;
          }
          answers.Add(result.status());
        });
  }
  release = true;
  ASSERT_TRUE(answers.WaitFor(kWriters));
  const int expected_failures = (kWriters - 1) / 5;
  EXPECT_EQ(answers.failed(), expected_failures);
  EXPECT_EQ(unseen, 0);
  EXPECT_EQ(CountItems(*db), kWriters - expected_failures);
  SqliteCommitStats stats = db->CommitStats();
  EXPECT_EQ(stats.transactions, static_cast<uint64_t>(kWriters - expected_failures));
  EXPECT_LT(stats.commits, static_cast<uint64_t>(kWriters) / 2) << stats.commits;
}

TEST(SqliteGroupCommitTest, ACallbackMayWriteAndANestedWriteIsRefused) {
  std::unique_ptr<SqliteDb> db = OpenItemsDb(":memory:", 2);
  ASSERT_NE(db, nullptr);
  Answers answers;
  Status from_callback, nested, nested_in_callback;
  db->WriteAsync(
      [&](SqlConnection&) {
        nested = InsertItem(*db, "nested");
        return Status::Ok();
      },
      [&](Status status) {
        from_callback = InsertItem(*db, "from callback");  // runs at once, alone
        // A write inside that one's body is refused too, not run as a second BEGIN elsewhere.
        nested_in_callback = db->Write([&](SqlConnection&) { return InsertItem(*db, "inner"); });
        db->WriteAsync(
            [](SqlConnection& connection) -> Status {
              CS_ASSIGN_OR_RETURN(SqlStatement insert,
                                  connection.Prepare("INSERT INTO items (name) VALUES ('later')"));
              return insert.Run();
            },
            [&](Status later) { answers.Add(later); });
        answers.Add(status);
      });
  ASSERT_TRUE(answers.WaitFor(2));
  EXPECT_EQ(answers.failed(), 0);
  EXPECT_EQ(nested.code(), Code::kInternal);
  EXPECT_TRUE(from_callback.ok()) << from_callback.ToString();
  EXPECT_EQ(nested_in_callback.code(), Code::kInternal) << nested_in_callback.ToString();
  EXPECT_EQ(CountItems(*db), 2);
}

TEST(SqliteGroupCommitTest, BlockingAndAsyncWritersAllFinishAndStopDrainsTheQueue) {
  ScratchDir dir;
  std::unique_ptr<SqliteDb> db = OpenItemsDb(dir.path() + "/mixed.db", 4);
  ASSERT_NE(db, nullptr);
  constexpr int kThreads = 4, kEach = 25, kAsync = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        EXPECT_TRUE(InsertItem(*db, "sync" + std::to_string(t) + "_" + std::to_string(i)).ok());
      }
    });
  }
  Answers answers;
  for (int i = 0; i < kAsync; ++i) {
    const std::string name = "async" + std::to_string(i);
    db->WriteAsync(
        [name](SqlConnection& connection) -> Status {
          CS_ASSIGN_OR_RETURN(SqlStatement insert,
                              connection.Prepare("INSERT INTO items (name) VALUES (?1)"));
          return insert.Bind(1, name).Run();
        },
        [&](Status status) { answers.Add(status); });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_GE(CountItems(*db), kThreads * kEach);  // reads run while async writes do
  db.reset();                                    // runs what is still queued before it stops
  ASSERT_TRUE(answers.WaitFor(kAsync));
  EXPECT_EQ(answers.failed(), 0);
  db = OpenItemsDb(dir.path() + "/mixed.db", 1);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(CountItems(*db), kThreads * kEach + kAsync);
}

}  // namespace
}  // namespace countersign::testing_store
