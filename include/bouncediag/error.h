// bouncediag::Error: the one error type for real failures (unreadable input, bad rule table,
// write error). Its message is complete and ready for the user; the CLI catches it in one place.
#pragma once

#include <stdexcept>
#include <string>

namespace bouncediag {

class Error : public std::runtime_error {
  public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace bouncediag
