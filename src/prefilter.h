// The literal prefilter in front of the rules' text patterns. For every text pattern we keep a
// few lowercase strings ("atoms") one of which every text the pattern matches must contain; a
// reply is tested only against the patterns whose atoms it contains, and a pattern is compiled
// only when a reply first needs it. Finding a reply's atoms takes about a microsecond, while
// one RE2::Set over all ~1,000 rules cost ~90 ms to compile at every start and built new DFA
// states for every new reply (docs/rules.md, "Speed").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <re2/re2.h>

#include "bouncediag/rule_table.h"

namespace bouncediag {

// How every rule pattern (text and remote_host) is compiled: case-insensitively, errors
// returned rather than logged. The loader, the prefilter and the classifier must agree.
RE2::Options pattern_options();

// The prefilter of one text pattern (RE2 syntax, matched case-insensitively).
// Throws Error when the pattern does not compile.
PatternPrefilter prefilter_of(std::string_view pattern);

// `text` lowercased the way atoms are: ASCII letters, plus the only non-ASCII characters that
// RE2's case folding equates with ASCII letters (U+212A KELVIN SIGN with k, U+017F LONG S with
// s). Atoms never contain other cased letters (prefilter_of leaves them out).
void fold_for_atoms(std::string_view text, std::string& out);

// Finds which atoms occur in a folded text.
class AtomIndex {
  public:
    // The id of `atom` (lowercase, >= 3 bytes), added when new. The index keeps the view:
    // the string must outlive it.
    std::uint32_t intern(std::string_view atom);
    // Prepares the lookup structure; call once after the last intern().
    void finish();
    std::size_t size() const { return m_atoms.size(); }

    // Appends to `found` the id of every atom that occurs in `folded`, each once, and sets
    // `marks[id]` for each (`marks` grows to size(); the caller clears the marks it was given).
    void find(std::string_view folded, std::vector<std::uint32_t>& found,
              std::vector<std::uint8_t>& marks) const;

  private:
    static constexpr int k_bucket_bits = 14;
    static std::uint32_t key_of(const char* three_bytes);
    static std::size_t bucket_of(std::uint32_t key);

    // An atom in its bucket: its first (up to) eight bytes as a number, compared at once
    // before the rest, since many atoms share their first three bytes with common words.
    struct Entry {
        std::uint64_t head;
        std::uint64_t head_mask;
        std::uint32_t length;
        std::uint32_t id;
    };
    static std::uint64_t load_head(std::string_view text, std::size_t pos);
    std::vector<std::string_view> m_atoms;
    std::unordered_map<std::string_view, std::uint32_t> m_ids;  // atom -> id, until finish()
    std::vector<std::uint32_t> m_bucket_start;  // buckets + 1 offsets into m_entries
    std::vector<Entry> m_entries;               // grouped by bucket
};

}  // namespace bouncediag
