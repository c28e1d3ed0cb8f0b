#include "bouncediag/log_line.h"

namespace bouncediag {

std::optional<LogEvent> extract_log_event(std::string_view) { return std::nullopt; }

}  // namespace bouncediag
