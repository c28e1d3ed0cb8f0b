// -j over many inputs (src/cli/ordered_parallel.h): results consumed in task order whatever the
// threads, chunk and window, every task run once, and a task's exception rethrown in its place.
#include "cli/ordered_parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace bouncediag::cli {
namespace {

struct Shape {
    std::size_t count;
    unsigned jobs;
    std::size_t window;
    std::size_t chunk;
};

class OrderedParallel : public testing::TestWithParam<Shape> {};

TEST_P(OrderedParallel, ConsumesEveryResultOnceInOrder) {
    const Shape shape = GetParam();
    std::vector<std::atomic<int>> runs(shape.count);
    std::atomic<std::size_t> consumed{0};
    std::atomic<std::size_t> most_waiting{0};
    std::vector<std::size_t> order;
    ordered_parallel<std::size_t>(
        shape.count, shape.jobs, shape.window, shape.chunk,
        [&](std::size_t i) {
            ++runs[i];
            // Tasks run ahead of the consumer: never more than the window allows.
            std::size_t ahead = i + 1 - consumed.load();
            std::size_t seen = most_waiting.load();
            while (ahead > seen && !most_waiting.compare_exchange_weak(seen, ahead)) {
            }
            return i * i;
        },
        [&](std::size_t i, std::size_t&& square) {
            EXPECT_EQ(square, i * i);
            order.push_back(i);
            ++consumed;
        });
    ASSERT_EQ(order.size(), shape.count);
    for (std::size_t i = 0; i < shape.count; ++i) {
        EXPECT_EQ(order[i], i);
        EXPECT_EQ(runs[i].load(), 1) << i;
    }
    // (the one result being consumed is out of the window, not yet counted here)
    EXPECT_LE(most_waiting.load(), shape.window + 1);
}

INSTANTIATE_TEST_SUITE_P(Shapes, OrderedParallel,
                         testing::Values(Shape{0, 2, 8, 4}, Shape{1, 2, 8, 4},
                                         Shape{758, 2, 64, 16}, Shape{100, 3, 5, 16},
                                         Shape{37, 4, 1, 1}, Shape{200, 1, 8, 3}));

TEST(OrderedParallelErrors, RethrowsTheFirstFailureInTaskOrder) {
    std::vector<std::size_t> order;
    try {
        ordered_parallel<int>(
            50, 2, 8, 4,
            [](std::size_t i) {
                if (i == 13 || i == 30) throw std::runtime_error("task " + std::to_string(i));
                return int(i);
            },
            [&](std::size_t i, int&&) { order.push_back(i); });
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "task 13");
    }
    ASSERT_EQ(order.size(), 13u);  // everything before the failure, in order
    for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
}

}  // namespace
}  // namespace bouncediag::cli
