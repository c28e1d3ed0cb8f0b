#include "fingerprint_map.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <random>
#include <utility>

namespace bouncediag {
namespace {

// Keys whose `a` (the hash) collides in the low bits, so that probing runs and wraps.
Fingerprint colliding(std::uint64_t i) {
    return Fingerprint{i << 20, i};
}

TEST(FingerprintMap, FindsWhatWasAddedAndNothingElse) {
    FingerprintMap<int> map;
    EXPECT_EQ(map.find({1, 2}), nullptr);
    bool added = false;
    map.emplace({1, 2}, added) = 7;
    EXPECT_TRUE(added);
    map.emplace({1, 3}, added) = 8;  // the same hash, another key
    EXPECT_TRUE(added);
    ASSERT_NE(map.find({1, 2}), nullptr);
    EXPECT_EQ(*map.find({1, 2}), 7);
    EXPECT_EQ(*map.find({1, 3}), 8);
    EXPECT_EQ(map.find({2, 2}), nullptr);
    EXPECT_EQ(map.emplace({1, 2}, added), 7);
    EXPECT_FALSE(added);
    EXPECT_EQ(map.size(), 2u);
}

TEST(FingerprintMap, AgreesWithStdMapThroughGrowthAndCollisions) {
    FingerprintMap<std::uint64_t> map;
    std::map<std::pair<std::uint64_t, std::uint64_t>, std::uint64_t> reference;
    std::mt19937_64 random(42);
    for (std::uint64_t i = 0; i < 20000; ++i) {
        const Fingerprint key = i % 3 == 0 ? colliding(i) : Fingerprint{random(), random()};
        bool added = false;
        map.emplace(key, added) = i;
        EXPECT_TRUE(added);
        reference[{key.a, key.b}] = i;
    }
    EXPECT_EQ(map.size(), reference.size());
    for (const auto& [key, value] : reference) {
        const std::uint64_t* found = map.find(Fingerprint{key.first, key.second});
        ASSERT_NE(found, nullptr);
        EXPECT_EQ(*found, value);
    }
    EXPECT_EQ(map.find(colliding(1)), nullptr);  // (i = 1 was a random key)
}

TEST(FingerprintMap, ClearForgetsEveryKey) {
    FingerprintMap<int> map;
    bool added = false;
    for (std::uint64_t i = 0; i < 3000; ++i) map.emplace(colliding(i), added) = 1;
    map.clear();
    EXPECT_EQ(map.size(), 0u);
    for (std::uint64_t i = 0; i < 3000; ++i) EXPECT_EQ(map.find(colliding(i)), nullptr);
    map.emplace(colliding(5), added) = 2;
    EXPECT_TRUE(added);
    EXPECT_EQ(*map.find(colliding(5)), 2);
}

}  // namespace
}  // namespace bouncediag
