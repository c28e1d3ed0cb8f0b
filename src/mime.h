// A focused MIME scanner for bounce emails: it reads headers, walks multipart trees and decodes
// only the parts a bounce report needs (text, delivery-status, feedback-report, returned headers).
// Input is expected with LF line endings (see normalize_line_endings); everything else is
// tolerated: broken boundaries, unknown encodings and charsets never fail.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bouncediag::mime {

// One header field; `value` is raw (may still contain folding newlines).
struct Field {
    std::string_view name;
    std::string_view value;
};

// The header fields of one entity, in order.
struct Headers {
    std::vector<Field> fields;
    // Raw value of the first field named `name` (case-insensitive), empty when absent.
    std::string_view get(std::string_view name) const;
    bool has(std::string_view name) const;
};

// Converts CRLF and bare CR to LF and unquotes mbox ">From " lines.
std::string normalize_line_endings(std::string_view raw);
// False when `raw` already has LF line endings and no mbox quoting (no copy needed).
bool needs_normalizing(std::string_view raw);

// Splits an entity at its first empty line. Without one, everything is header when the text
// starts with a header line, else everything is body.
void split_entity(std::string_view entity, std::string_view& header, std::string_view& body);

// Parses a header block (LF line endings). Stops at the first line that is neither a field nor
// a continuation.
Headers parse_headers(std::string_view header);

// Joins folded lines and collapses the folding whitespace (RFC 5322 section 2.2.3).
std::string unfold(std::string_view value);

// Unfolds and decodes RFC 2047 encoded words into UTF-8.
std::string decode_header(std::string_view value);

// A parsed Content-Type.
struct ContentType {
    std::string type;  // lower-case "type/subtype"; "text/plain" by default
    std::string boundary;
    std::string charset;      // lower-case
    std::string report_type;  // multipart/report's report-type, lower-case
};
ContentType parse_content_type(std::string_view value);

// Value of one parameter of a structured header (Content-Type, Content-Disposition).
std::string header_parameter(std::string_view value, std::string_view name);

std::string decode_base64(std::string_view in);
std::string decode_quoted_printable(std::string_view in);
// Decodes by Content-Transfer-Encoding; unknown encodings return the bytes unchanged.
std::string decode_transfer(std::string_view body, std::string_view encoding);
// Converts to UTF-8 with iconv; unknown charsets or invalid sequences keep the bytes.
std::string to_utf8(std::string_view text, std::string_view charset);

// What a part means to a bounce reader.
enum class PartRole {
    text,              // human-readable text of the report itself
    delivery_status,   // message/delivery-status or message/global-delivery-status
    feedback_report,   // message/feedback-report (RFC 5965)
    returned_headers,  // headers of the returned message (message/rfc822 or text/rfc822-headers)
    returned_text,     // text inside the returned message
    other,             // skipped (attachments, images, ...)
};

// One decoded leaf part.
struct Part {
    PartRole role = PartRole::other;
    std::string type;  // lower-case content type
    std::string text;  // decoded UTF-8 text (empty for skipped parts), HTML kept as markup
    Headers headers;   // the part's own headers (views into the normalized message)
    bool is_html = false;
    std::string_view raw;  // returned_headers of message/rfc822: the whole attached message
};

// The scanned email.
struct Message {
    Headers headers;                                    // top-level headers
    ContentType content_type;                           // top-level content type
    std::vector<Part> parts;                            // leaf parts in document order
    std::vector<std::unique_ptr<std::string>> buffers;  // decoded bodies the views point into
};

// Scans a whole email (already normalized to LF). Views in the result point into `email`.
Message scan(std::string_view email);

// Strips HTML tags and decodes the common entities, keeping line structure.
std::string html_to_text(std::string_view html);

}  // namespace bouncediag::mime
