#pragma once
// Code that may wait (the database, an upstream call, the disk) calls may_block() first. On a thread that
// must never wait — an HTTP I/O thread answering a non-blocking route — it throws WouldBlock, and the
// server runs the request again from the start on its worker pool. Elsewhere it does nothing. So a
// non-blocking route can answer from memory when it can (a cache hit) and still be correct when it cannot.
namespace chance {

// Not a std::exception, so that handlers' generic error handling never turns it into an error response.
// Throw it (through may_block) before any side effect: the request is handled again from the start.
struct WouldBlock {};

// True while the current thread serves a request that must not wait.
bool must_not_block();
// Throws WouldBlock when the current thread must not wait.
void may_block();

// Marks the current thread as one that must not wait, for the scope's lifetime.
class NoBlockingScope {
  public:
    NoBlockingScope();
    ~NoBlockingScope();
    NoBlockingScope(const NoBlockingScope&) = delete;
    NoBlockingScope& operator=(const NoBlockingScope&) = delete;

  private:
    bool previous_;
};

}  // namespace chance
