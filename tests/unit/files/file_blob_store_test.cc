#include "files/file_blob_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto.h"

namespace countersign {
namespace {

namespace fs = std::filesystem;

int CountFiles(const fs::path& dir, bool recursive) {
  int n = 0;
  if (recursive) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) n += e.is_regular_file();
  } else {
    for (const auto& e : fs::directory_iterator(dir)) n += e.is_regular_file();
  }
  return n;
}

class FileBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "blob_store_XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    root_ = dir_ + "/blobs";  // created by Open
    StatusOr<std::unique_ptr<FileBlobStore>> store = FileBlobStore::Open(root_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir_;
  std::string root_;
  std::unique_ptr<FileBlobStore> store_;
};

TEST_F(FileBlobStoreTest, OpenCreatesTempFolder) {
  EXPECT_TRUE(fs::is_directory(root_ + "/tmp"));
  // Opening an existing store again is fine.
  EXPECT_TRUE(FileBlobStore::Open(root_).ok());
}

TEST_F(FileBlobStoreTest, PutTwiceStoresOnce) {
  StatusOr<BlobInfo> a = store_->Put("hello blob");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->sha256, Sha256Hex("hello blob"));
  EXPECT_EQ(a->size, 10);
  StatusOr<BlobInfo> b = store_->Put("hello blob");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->sha256, a->sha256);
  EXPECT_EQ(CountFiles(root_, true), 1);

  StatusOr<std::string> path = store_->PathOf(a->sha256);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path,
            root_ + "/" + a->sha256.substr(0, 2) + "/" + a->sha256.substr(2, 2) + "/" + a->sha256);
  StatusOr<std::string> data = store_->Read(a->sha256);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, "hello blob");
  EXPECT_EQ(CountFiles(root_ + "/tmp", false), 0);
}

TEST_F(FileBlobStoreTest, EmptyAndBinaryContent) {
  std::string binary("\0\1\2\xff\0", 5);
  StatusOr<BlobInfo> a = store_->Put(binary);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*store_->Read(a->sha256), binary);
  StatusOr<BlobInfo> empty = store_->Put("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->size, 0);
  EXPECT_EQ(*store_->Read(empty->sha256), "");
}

TEST_F(FileBlobStoreTest, PutFileMovesAndHashesLargeFile) {
  std::string content(5 * 1024 * 1024, '\0');
  for (size_t i = 0; i < content.size(); ++i)
    content[i] = static_cast<char>((i * 31 + i / 7) % 251);
  std::string temp = store_->NewTempPath();
  EXPECT_EQ(temp.rfind(root_ + "/tmp/", 0), 0u);
  {
    std::ofstream out(temp, std::ios::binary);
    out << content;
  }
  StatusOr<BlobInfo> info = store_->PutFile(temp);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->sha256, Sha256Hex(content));
  EXPECT_EQ(info->size, static_cast<int64_t>(content.size()));
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(*store_->Read(info->sha256), content);

  // The same content again: the temp file is dropped, the blob kept once.
  std::string again = store_->NewTempPath();
  EXPECT_NE(again, temp);
  {
    std::ofstream out(again, std::ios::binary);
    out << content;
  }
  StatusOr<BlobInfo> info2 = store_->PutFile(again);
  ASSERT_TRUE(info2.ok());
  EXPECT_EQ(info2->sha256, info->sha256);
  EXPECT_FALSE(fs::exists(again));
  EXPECT_EQ(CountFiles(root_, true), 1);
}

TEST_F(FileBlobStoreTest, PutFileOfMissingFileIsInternal) {
  StatusOr<BlobInfo> info = store_->PutFile(store_->NewTempPath());
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kInternal);
}

TEST_F(FileBlobStoreTest, ConcurrentPutsOfSameContent) {
  std::string content(256 * 1024, 'x');
  std::vector<std::thread> threads;
  std::vector<std::string> hashes(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 10; ++round) {
        StatusOr<BlobInfo> info = i % 2 == 0 ? store_->Put(content) : [&] {
          std::string temp = store_->NewTempPath();
          std::ofstream(temp, std::ios::binary) << content;
          return store_->PutFile(temp);
        }();
        ASSERT_TRUE(info.ok()) << info.status().ToString();
        hashes[i] = info->sha256;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& h : hashes) EXPECT_EQ(h, Sha256Hex(content));
  EXPECT_EQ(CountFiles(root_, true), 1);
  EXPECT_EQ(CountFiles(root_ + "/tmp", false), 0);
  EXPECT_EQ(*store_->Read(hashes[0]), content);
}

TEST_F(FileBlobStoreTest, AnotherInstancesFoldersAndBlobsAreUsedAsTheyAre) {
  // Another instance sharing the root made the blob's folders, and stored one blob.
  const std::string content = "shared content";
  const std::string hash = Sha256Hex(content);
  fs::create_directories(root_ + "/" + hash.substr(0, 2) + "/" + hash.substr(2, 2));
  StatusOr<std::unique_ptr<FileBlobStore>> other = FileBlobStore::Open(root_);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  StatusOr<BlobInfo> theirs = (*other)->Put("stored by the other one");
  ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();

  StatusOr<BlobInfo> mine = store_->Put(content);  // into their folder
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_EQ(mine->sha256, hash);
  StatusOr<BlobInfo> again = store_->Put("stored by the other one");  // already there
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->sha256, theirs->sha256);
  EXPECT_EQ(*store_->Read(hash), content);
  EXPECT_EQ(CountFiles(root_, true), 2);
}

TEST_F(FileBlobStoreTest, UnknownBlobIsNotFound) {
  std::string unknown = Sha256Hex("never stored");
  EXPECT_EQ(store_->PathOf(unknown).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->Read(unknown).status().code(), Code::kNotFound);
  // Names that are not hashes never touch the file system.
  EXPECT_EQ(store_->PathOf("../../etc/passwd").status().code(), Code::kNotFound);
  EXPECT_EQ(store_->Read("tmp").status().code(), Code::kNotFound);
  EXPECT_EQ(store_->Read(std::string(64, 'A')).status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace countersign
