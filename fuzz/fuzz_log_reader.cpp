// libFuzzer target: log lines. The input is split into lines and fed in order to one LogReader
// (it keeps CSV headers and qmail state between lines), to the stateless helpers, and to the
// line pipeline of `bouncediag LOG` (LineDiagnoser, classification, JSON).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "bouncediag/input.h"
#include "bouncediag/log_line.h"
#include "bouncediag/output.h"
#include "fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace bouncediag;
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    LogReader reader;
    LineDiagnoser diagnoser(fuzz::embedded_classifier(), "fuzz.log", false);
    std::vector<LogEvent> events;
    const ResultSink sink = [](Result&& r) { fuzz::check(fuzz::valid_utf8(format_json(r))); };
    std::size_t number = 0;
    while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        events.clear();
        const LogLineKind kind = reader.read(line, events);
        fuzz::check(kind == LogLineKind::failure || events.empty());
        (void)extract_log_event(line);
        (void)classify_log_line(line);
        diagnoser.diagnose(line, ++number, sink);
    }
    return 0;
}
