#pragma once
// Plain request/response types. Handlers see only these; Boost.Beast stays inside this library's .cpp files.
#include <boost/json/fwd.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chance/core/error.hpp"

namespace chance::http {

class Headers {
  public:
    std::optional<std::string> get(std::string_view name) const;
    std::vector<std::string> get_all(std::string_view name) const;
    void set(std::string name, std::string value);  // replaces
    void add(std::string name, std::string value);  // appends (Set-Cookie)
    void remove(std::string_view name);
    bool has(std::string_view name) const { return get(name).has_value(); }
    const std::vector<std::pair<std::string, std::string>>& all() const { return items_; }

  private:
    std::vector<std::pair<std::string, std::string>> items_;
};

bool iequals(std::string_view a, std::string_view b);
// Content-Length, Transfer-Encoding and Connection: framing is the server's business, a handler's own are dropped.
bool is_framing_header(std::string_view name);
// Appends "Name: value\r\n" with any CR or LF in either turned into a space, so that no value can start another
// header.
void append_header_line(std::string& out, std::string_view name, std::string_view value);
std::string percent_decode(std::string_view s, bool plus_as_space);
std::string percent_encode(std::string_view s);
// Parses a=1&b=%D0%9C into decoded pairs (the last one wins for repeated keys).
std::map<std::string, std::string> parse_query(std::string_view qs);

struct Request {
    std::string method;
    std::string target;  // as received: path + "?" + query
    std::string path;    // percent-decoded path
    std::string query_string;
    std::map<std::string, std::string> query;
    Headers headers;
    std::string body;
    std::string remote_addr;
    std::map<std::string, std::string> params;  // path parameters of the matched route
    std::string route;                          // the matched pattern, for metrics and logs
    std::string request_id;
    std::map<std::string, std::string> context;  // set by middleware (user id, role, ...)
    // Typed state one component hands to itself later in the same request (the gateway's looked-up session,
    // shared rather than copied into `context`): set and read by that component only, which knows the type.
    std::shared_ptr<const void> attachment;
    // Set by Router::runs_inline so that handling does not match the route twice.
    static constexpr size_t kUnresolved = static_cast<size_t>(-1);
    static constexpr size_t kNoRoute = static_cast<size_t>(-2);
    size_t route_index = kUnresolved;

    std::optional<std::string> query_param(const std::string& key) const;
    const std::string& param(const std::string& key) const;
    std::optional<std::string> context_value(const std::string& key) const;
    // Cookie value by name from the Cookie header.
    std::optional<std::string> cookie(std::string_view name) const;
};

struct Response {
    // Header lines in wire form and a body, prepared once and sent by many responses (a cache's kept answer):
    // shared by each response that sends it rather than copied into it.
    struct Prepared {
        std::string header_lines;  // "Name: value\r\n" each, framing headers left out
        std::string body;
    };

    int status = 200;
    Headers headers;
    std::string body;
    // When set, its header lines are sent before `headers` and its body instead of `body`.
    std::shared_ptr<const Prepared> prepared;

    // The body that is sent: the prepared one when there is one.
    std::string_view payload() const { return prepared ? std::string_view(prepared->body) : std::string_view(body); }
    // A header's value from `headers`, else from the prepared lines.
    std::optional<std::string> header(std::string_view name) const;
    // This response's headers and body (its prepared part first, when it has one) as a Prepared to share.
    std::shared_ptr<const Prepared> prepare() const;

    static Response json(int status, const boost::json::value& v);
    static Response json(const boost::json::value& v) { return json(200, v); }
    static Response problem(const Problem& p);
    static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
    static Response no_content();
};

}  // namespace chance::http
