// What the C++ benchmark clients share: the clock and the latency loop (one JSON line).
#pragma once

#include <algorithm>
#include <chrono>
#include <iostream>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// n calls of f after a warm-up: the median and mean latency, printed as a JSON object.
template <class F>
void latency(const char *what, int n, F &&f) {
    for (int i = 0; i < n / 10 + 10; ++i) f(); // warm-up
    std::vector<double> us(n);
    for (int i = 0; i < n; ++i) {
        auto t = Clock::now();
        f();
        us[i] = seconds_since(t) * 1e6;
    }
    std::sort(us.begin(), us.end());
    double mean = 0;
    for (double u : us) mean += u;
    std::cout << "{\"what\": \"" << what << "\", \"n\": " << n << ", \"median_us\": " << us[n / 2]
              << ", \"mean_us\": " << mean / n << "}" << std::endl;
}

} // namespace bench
