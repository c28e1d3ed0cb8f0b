// Mailbox input: telling an mbox from a single email and splitting an mbox into messages.
#pragma once

#include <cstddef>
#include <string_view>

namespace bouncediag {

// True when `data` starts like an mbox: a "From " envelope line.
bool looks_like_mbox(std::string_view data);

// True when `data` starts with RFC 5322 header lines ("Name: value", at least one field whose
// name is made of printable characters followed by a colon), after optional blank lines.
bool looks_like_email(std::string_view data);

// Yields the messages of an mbox, in order, as views into the data. A message starts after a
// "From " line that stands at the start of the data or after an empty line (mboxrd/mboxo);
// the envelope line itself is excluded. ">From " quoting inside messages is undone by
// read_bounce_email, so the views are passed on unchanged. Any line ending works.
class MboxSplitter {
  public:
    explicit MboxSplitter(std::string_view data);
    bool next(std::string_view& message);

  private:
    std::string_view m_data;
    std::size_t m_pos = 0;
};

}  // namespace bouncediag
