#include "core/durable_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

namespace countersign {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every entry of `dir`, hidden ones included.
int CountEntries(const std::string& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

class DurableFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "durable_file_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir_;
};

TEST_F(DurableFileTest, AppearsUnderItsNameOnlyWhenPublished) {
  const std::string target = dir_ + "/hello.txt";
  {
    StatusOr<DurableFile> file = DurableFile::Create(dir_);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_TRUE(file->Write("hello ").ok());
    ASSERT_TRUE(file->Write("world").ok());
    EXPECT_FALSE(fs::exists(target));
    ASSERT_TRUE(file->Publish(target).ok());
    EXPECT_EQ(ReadAll(target), "hello world");
    EXPECT_TRUE(SyncFolder(dir_).ok());
  }
  struct stat st;
  ASSERT_EQ(stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(CountEntries(dir_), 1);  // only the published file, once the object is gone too
}

TEST_F(DurableFileTest, AnUnpublishedFileLeavesNothingBehind) {
  {
    StatusOr<DurableFile> file = DurableFile::Create(dir_);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(file->Write(std::string(100000, 'x')).ok());
  }
  EXPECT_EQ(CountEntries(dir_), 0);
}

TEST_F(DurableFileTest, MissingTargetFolderIsNotFoundAndCanBeRetried) {
  StatusOr<DurableFile> file = DurableFile::Create(dir_);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file->Write("late folder").ok());
  const std::string target = dir_ + "/sub/file";
  EXPECT_EQ(file->Publish(target).code(), Code::kNotFound);
  ASSERT_TRUE(fs::create_directory(dir_ + "/sub"));
  ASSERT_TRUE(file->Publish(target).ok());
  EXPECT_EQ(ReadAll(target), "late folder");
}

TEST_F(DurableFileTest, PublishingANameThatExistsSucceeds) {
  const std::string target = dir_ + "/same";
  for (int i = 0; i < 2; ++i) {
    StatusOr<DurableFile> file = DurableFile::Create(dir_);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(file->Write("same bytes").ok());
    ASSERT_TRUE(file->Publish(target).ok());
  }
  EXPECT_EQ(ReadAll(target), "same bytes");
  EXPECT_EQ(CountEntries(dir_), 1);
}

// The file already at a name stays with kKeep and gives way with kReplace, which leaves no
// staging name behind; SetMode sets the new file's permission bits.
TEST_F(DurableFileTest, AnExistingNameIsKeptOrReplacedAsAsked) {
  const std::string target = dir_ + "/name";
  auto publish = [&](const std::string& text, DurableFile::Existing existing, unsigned mode) {
    StatusOr<DurableFile> file = DurableFile::Create(dir_);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(file->Write(text).ok());
    if (mode != 0) ASSERT_TRUE(file->SetMode(mode).ok());
    ASSERT_TRUE(file->Publish(target, existing).ok());
  };
  publish("first", DurableFile::Existing::kKeep, 0);
  publish("second", DurableFile::Existing::kKeep, 0);
  EXPECT_EQ(ReadAll(target), "first");
  publish("third", DurableFile::Existing::kReplace, 0640);
  EXPECT_EQ(ReadAll(target), "third");
  struct stat st;
  ASSERT_EQ(stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(CountEntries(dir_), 1);
  fs::remove(target);
  publish("fourth", DurableFile::Existing::kReplace, 0);  // also where nothing was
  EXPECT_EQ(ReadAll(target), "fourth");
  EXPECT_EQ(CountEntries(dir_), 1);
}

// Bytes that differ from one offset to the next (a shifted or padded copy would not match).
std::string Pattern(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 131 + i / 4096) & 0xff);
  return out;
}

TEST_F(DurableFileTest, DirectFilesHoldExactlyTheBytesWrittenWhateverTheirSizes) {
  // Around the block (4096) and buffer (1 MiB) sizes, written in uneven pieces.
  const size_t kSizes[] = {0,       1,       4095,    4096,          4097,
                           1048575, 1048576, 1048577, 2097152 + 123, 3 * 1048576};
  for (size_t size : kSizes) {
    const std::string data = Pattern(size);
    const std::string target = dir_ + "/direct-" + std::to_string(size);
    StatusOr<DurableFile> file = DurableFile::Create(dir_, DurableFile::Caching::kDirect);
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    for (size_t at = 0; at < size; at += 70001) {
      ASSERT_TRUE(file->Write(std::string_view(data).substr(at, 70001)).ok());
    }
    DurableFile moved = std::move(file).value();  // the buffered tail moves with it
    ASSERT_TRUE(moved.Publish(target).ok());
    EXPECT_EQ(fs::file_size(target), size);
    EXPECT_TRUE(ReadAll(target) == data) << "size " << size;
  }
}

TEST_F(DurableFileTest, ADirectFilesTailIsWrittenOnceWhenPublishIsRetried) {
  const std::string data = Pattern(1100000);  // one full buffer, then an unaligned tail
  StatusOr<DurableFile> file = DurableFile::Create(dir_, DurableFile::Caching::kDirect);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file->Write(data).ok());
  const std::string target = dir_ + "/sub/file";
  EXPECT_EQ(file->Publish(target).code(), Code::kNotFound);
  ASSERT_TRUE(fs::create_directory(dir_ + "/sub"));
  ASSERT_TRUE(file->Publish(target).ok());
  EXPECT_EQ(fs::file_size(target), data.size());
  EXPECT_TRUE(ReadAll(target) == data);
}

TEST_F(DurableFileTest, MissingFolderCannotBeCreatedOrSynced) {
  EXPECT_EQ(DurableFile::Create(dir_ + "/missing").status().code(), Code::kInternal);
  EXPECT_EQ(DurableFile::Create(dir_ + "/missing", DurableFile::Caching::kDirect).status().code(),
            Code::kInternal);
  EXPECT_EQ(SyncFolder(dir_ + "/missing").code(), Code::kInternal);
}

}  // namespace
}  // namespace countersign
