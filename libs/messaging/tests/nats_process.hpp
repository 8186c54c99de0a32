#pragma once
// A private nats-server for one test: started on a free port with its own store directory, and
// stoppable/restartable mid-test (the same store survives a restart).
#include <sys/types.h>
#include <string>

namespace chance::natstest {

class NatsProcess {
  public:
    NatsProcess();
    ~NatsProcess();
    void start();
    void stop();  // SIGTERM and wait
    std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

  private:
    int port_;
    std::string store_;
    pid_t pid_ = -1;
};

}  // namespace chance::natstest
