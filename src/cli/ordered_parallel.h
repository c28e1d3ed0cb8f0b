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
// calling thread in increasing i. A thread takes up to `chunk` consecutive tasks at a time and
// hands over their results together: one task per hand-over meant three thread switches per
// small file (-j 2 over 758 corpus emails: ~2,400 context switches). At most `window` results
// wait to be consumed, which bounds memory. An exception from a task is rethrown here, in
// order.
template <typename Outcome>
void ordered_parallel(std::size_t count, unsigned jobs, std::size_t window, std::size_t chunk,
                      const std::function<Outcome(std::size_t)>& task,
                      const std::function<void(std::size_t, Outcome&&)>& consume) {
    struct Slot {
        Outcome outcome{};
        std::exception_ptr error;
    };
    chunk = std::max<std::size_t>(1, std::min(chunk, window));
    std::mutex mutex;
    std::condition_variable work_allowed;  // for the workers: the window moved, or stop
    std::condition_variable results_in;    // for the consumer
    std::map<std::size_t, Slot> done;
    std::size_t next_task = 0;
    std::size_t consumed = 0;
    bool stop = false;

    auto worker = [&] {
        std::vector<std::pair<std::size_t, Slot>> slots;
        while (true) {
            std::size_t first;
            std::size_t last;
            {
                std::unique_lock lock(mutex);
                work_allowed.wait(
                    lock, [&] { return stop || next_task < std::min(count, consumed + window); });
                if (stop || next_task >= count) return;
                first = next_task;
                last = std::min({count, first + chunk, consumed + window});
                next_task = last;
            }
            slots.clear();
            for (std::size_t index = first; index < last; ++index) {
                Slot& slot = slots.emplace_back(index, Slot{}).second;
                try {
                    slot.outcome = task(index);
                } catch (...) {
                    slot.error = std::current_exception();
                }
            }
            {
                std::lock_guard lock(mutex);
                for (auto& [index, slot] : slots) done.emplace(index, std::move(slot));
            }
            results_in.notify_one();
        }
    };
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < std::max(1u, jobs); ++t) threads.emplace_back(worker);
    auto finish = [&] {
        {
            std::lock_guard lock(mutex);
            stop = true;
        }
        work_allowed.notify_all();
        for (std::thread& t : threads) t.join();
    };
    try {
        for (std::size_t i = 0; i < count; ++i) {
            Slot slot;
            bool window_was_full = false;
            {
                std::unique_lock lock(mutex);
                results_in.wait(lock, [&] { return done.count(i) != 0; });
                slot = std::move(done.at(i));
                done.erase(i);
                window_was_full = next_task < count && next_task == consumed + window;
                ++consumed;
            }
            if (window_was_full) work_allowed.notify_all();
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
