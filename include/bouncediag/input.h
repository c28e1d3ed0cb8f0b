// Whole inputs: decides what an input holds (one email, an mbox, or lines of replies and log
// records) and diagnoses it, result by result, in input order.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "bouncediag/classifier.h"
#include "bouncediag/diagnose.h"

namespace bouncediag {

enum class InputMode {
    detect,  // look at the content: mbox, email, else lines
    email,   // one email
    mbox,    // an mbox of emails
    lines,   // each line is a reply or a log record (plain replies forced)
};

// What one input gave.
struct InputStats {
    std::size_t results = 0;       // results emitted
    std::size_t undiagnosed = 0;   // results no rule explained
    std::size_t skipped = 0;       // lines or messages that carried no failure
    std::size_t messages = 0;      // emails read (email and mbox inputs)
};

using ResultSink = std::function<void(Result&&)>;

// Decides the mode of a whole content for InputMode::detect.
InputMode detect_input_mode(std::string_view head);

// Diagnoses a whole input held in memory.
InputStats diagnose_content(std::string_view content, const std::string& name, InputMode mode,
                            const Classifier& classifier, const ResultSink& sink);

// Diagnoses one line of a line input. With `force_reply`, a line that is not a log record is a
// reply even when it carries no code; otherwise such a line is skipped (returns false) unless a
// rule recognises its text.
bool diagnose_line(std::string_view line, const std::string& name, std::size_t line_number,
                   bool force_reply, const Classifier& classifier, const ResultSink& sink);

}  // namespace bouncediag
