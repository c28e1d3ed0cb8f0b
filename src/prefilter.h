// The literal prefilter in front of the rules' text patterns. For every text pattern we keep a
// few lowercase strings ("atoms") one of which every text the pattern matches must contain; a
// reply is tested only against the patterns whose atoms it contains, and a pattern is compiled
// only when a reply first needs it. Finding a reply's atoms takes about a microsecond, while
// one RE2::Set over all ~1,000 rules cost ~90 ms to compile at every start and built new DFA
// states for every new reply (docs/rules.md, "Speed").
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <re2/re2.h>

#include "bouncediag/rule_table.h"

namespace bouncediag {

// What a text pattern needs to be worth running on a reply (the classifier keeps one per pattern).
struct PatternPrefilter {
    // Lowercase strings of at least 3 bytes, one of which occurs in the folded form
    // (fold_for_atoms) of every text the pattern matches. Empty: no such list exists.
    std::vector<std::string> atoms;
    // Atoms that every text the pattern matches contains (each alone suffices as `atoms`).
    std::vector<std::string> required;
    // Without atoms: every text the pattern matches has a byte >= 0x80 (the pattern needs a
    // non-ASCII letter, e.g. Cyrillic, whose case variants an atom cannot express).
    bool needs_non_ascii = false;
};

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

// An atom in its bucket of an AtomLookup: its first (up to) eight bytes as a number, compared
// at once before the rest, since many atoms share their first three bytes with common words.
struct AtomEntry {
    std::uint64_t head;
    std::uint64_t head_mask;
    std::uint32_t length;
    std::uint32_t id;
    std::uint32_t offset;  // of the atom in AtomLookup::text
};

// Finds which atoms occur in a folded text: atoms bucketed by a hash of their first three
// bytes. Views, into an AtomIndex or into the static data of the embedded table.
struct AtomLookup {
    static constexpr int k_bucket_bits = 14;
    static constexpr std::size_t k_buckets = std::size_t(1) << k_bucket_bits;

    std::string_view text;                        // every atom, one after another
    std::span<const std::uint32_t> bucket_start;  // k_buckets + 1 offsets into entries
    std::span<const AtomEntry> entries;           // grouped by bucket
    std::uint32_t atom_count = 0;

    // Appends to `found` the id of every atom that occurs in `folded`, each once, and sets
    // `marks[id]` for each (`marks` grows to atom_count; the caller clears the marks it was
    // given).
    void find(std::string_view folded, std::vector<std::uint32_t>& found,
              std::vector<std::uint8_t>& marks) const;

    static std::size_t bucket_of(const char* three_bytes);
    // The eight bytes of `text` from `pos` as a little-endian number (zeros past its end).
    static std::uint64_t load_head(std::string_view text, std::size_t pos);
};

// Builds an AtomLookup.
class AtomIndex {
  public:
    AtomIndex() = default;
    AtomIndex(const AtomIndex&) = delete;  // (the lookup points into the index)
    AtomIndex& operator=(const AtomIndex&) = delete;

    // The id of `atom` (lowercase, >= 3 bytes), added when new.
    std::uint32_t intern(std::string_view atom);
    // Prepares the lookup; call once after the last intern().
    void finish();
    std::size_t size() const { return m_atoms.size(); }
    const std::string& atom(std::uint32_t id) const { return m_atoms[id]; }
    // Where atom `id` starts in lookup().text (after finish()).
    std::uint32_t offset_of(std::uint32_t id) const { return m_offsets[id]; }
    const AtomLookup& lookup() const { return m_lookup; }

  private:
    std::vector<std::string> m_atoms;
    std::unordered_map<std::string, std::uint32_t> m_ids;  // atom -> id, until finish()
    std::string m_text;
    std::vector<std::uint32_t> m_offsets;  // per atom id, in m_text
    std::vector<std::uint32_t> m_bucket_start;
    std::vector<AtomEntry> m_entries;
    AtomLookup m_lookup;
};

}  // namespace bouncediag
