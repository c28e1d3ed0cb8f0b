// A text pattern in the form RE2 searches without a DFA, for patterns that run only a few times.
//
// RE2 finds an unanchored match's span with two DFAs: forward to find where the match ends,
// then a reverse program (compiled on first use) run backward to find where it starts. Each
// DFA builds its states as it meets new input, hundreds of bytes each for a pattern with a
// bounded gap such as ".{0,40}". A pattern that runs once or twice in a process (a bounce
// email's reply, a one-reply run) pays all of that and uses none of it again. Written as
// "\C*?(PATTERN)" and searched anchored at the start for group 1, the same pattern goes
// straight to RE2's bit-state backtracker on a short text (re2.cc, RE2::Match): no DFA state,
// no reverse program, nothing kept. Once warm, a DFA is the faster of the two.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>

namespace bouncediag {

// The pattern with every capturing group made non-capturing ("(" becomes "(?:"), so that a
// group put around it is the only one. Escaped characters and bracketed classes are kept.
std::string without_capturing_groups(std::string_view pattern);

class ColdPattern {
  public:
    // Compiles `pattern` (RE2 syntax, pattern_options()) in the cold form.
    explicit ColdPattern(std::string_view pattern);

    // False when the cold form did not compile to exactly one group (a construct
    // without_capturing_groups does not know): then use the pattern itself.
    bool ok() const { return m_re->ok() && m_re->NumberOfCapturingGroups() == 1; }

    // Whether the pattern matches `text`, and where: the leftmost match, as an unanchored
    // search of the pattern itself finds it. Requires ok().
    bool search(std::string_view text, std::string_view& span) const;

  private:
    std::unique_ptr<RE2> m_re;
};

}  // namespace bouncediag
