// Which provider runs a mail host or holds the mailboxes of a domain, from the directory in
// data/providers.json (embedded at build time). The rules' `provider` says whose wording a
// reply is; this says whose server received the message, which a generic reply ("550 5.1.1
// User unknown") does not.
#pragma once

#include <string_view>

namespace bouncediag {

// The provider that runs `host` (a server's name, any case, a final dot allowed): the entry
// with the longest suffix of it, by whole labels. Empty when none is listed.
std::string_view provider_of_host(std::string_view host);

// The provider that holds the mailboxes of `domain` (listed domains only, not their
// subdomains). Empty when none is listed.
std::string_view provider_of_domain(std::string_view domain);

// The provider that received a message: the replying host's, else the recipient domain's.
std::string_view receiving_provider(std::string_view remote_host, std::string_view recipient);

}  // namespace bouncediag
