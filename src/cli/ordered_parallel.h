// Runs independent tasks on several threads and consumes their results in task order, so
// parallel output reads exactly like sequential output (-j N).
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace bouncediag::cli {

// Calls task(i) for every i in [0, count) on `jobs` threads and consume(i, result) on the
// calling thread in increasing i. At most `window` results wait to be consumed, which bounds
// memory. An exception from a task is rethrown here, in order.
template <typename Outcome>
void ordered_parallel(std::size_t count, unsigned jobs, std::size_t window,
                      const std::function<Outcome(std::size_t)>& task,
                      const std::function<void(std::size_t, Outcome&&)>& consume) {
    struct Slot {
        Outcome outcome{};
        std::exception_ptr error;
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::size_t, Slot> done;
    std::size_t next_task = 0;
    std::size_t consumed = 0;
    bool stop = false;

    auto worker = [&] {
        while (true) {
            std::size_t index;
            {
                std::unique_lock lock(mutex);
                changed.wait(
                    lock, [&] { return stop || next_task < std::min(count, consumed + window); });
                if (stop || next_task >= count) return;
                index = next_task++;
            }
            Slot slot;
            try {
                slot.outcome = task(index);
            } catch (...) {
                slot.error = std::current_exception();
            }
            std::lock_guard lock(mutex);
            done.emplace(index, std::move(slot));
            changed.notify_all();
        }
    };
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < std::max(1u, jobs); ++t) threads.emplace_back(worker);
    auto finish = [&] {
        {
            std::lock_guard lock(mutex);
            stop = true;
        }
        changed.notify_all();
        for (std::thread& t : threads) t.join();
    };
    try {
        for (std::size_t i = 0; i < count; ++i) {
            Slot slot;
            {
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return done.count(i) != 0; });
                slot = std::move(done.at(i));
                done.erase(i);
                ++consumed;
            }
            changed.notify_all();
            if (slot.error) std::rethrow_exception(slot.error);
            consume(i, std::move(slot.outcome));
        }
    } catch (...) {
        finish();
        throw;
    }
    finish();
}

}  // namespace bouncediag::cli
