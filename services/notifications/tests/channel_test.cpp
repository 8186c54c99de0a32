// The delivery channels against local stand-ins: what the SMS channel posts and how each channel reports a
// failed attempt (a result carrying the reason that becomes the delivery's last_error, never an exception).
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/json.hpp>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "notifications/channel.hpp"

using namespace chance::notifications;
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// A one-request-per-connection HTTP server on 127.0.0.1 answering every request with `status`.
class FakeHttp {
  public:
    explicit FakeHttp(int status) : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        thread_ = std::thread([this, status] {
            for (;;) {
                tcp::socket s(io_);
                boost::system::error_code ec;
                acceptor_.accept(s, ec);
                if (ec || stopping_) return;
                std::string req = read_request(s);
                {
                    std::lock_guard lock(mu_);
                    requests_.push_back(req);
                }
                std::string resp =
                    "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                asio::write(s, asio::buffer(resp), ec);
            }
        });
    }
    ~FakeHttp() {
        stopping_ = true;
        boost::system::error_code ec;
        tcp::socket poke(io_);
        poke.connect(acceptor_.local_endpoint(), ec);  // wakes the blocked accept
        thread_.join();
    }
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + path;
    }
    std::vector<std::string> requests() {
        std::lock_guard lock(mu_);
        return requests_;
    }

  private:
    static std::string read_request(tcp::socket& s) {
        std::string data;
        char buf[4096];
        boost::system::error_code ec;
        for (;;) {
            auto head_end = data.find("\r\n\r\n");
            if (head_end != std::string::npos) {
                size_t length = 0;
                auto cl = data.find("Content-Length: ");
                if (cl == std::string::npos) cl = data.find("content-length: ");
                if (cl != std::string::npos && cl < head_end) length = std::stoul(data.substr(cl + 16));
                if (data.size() >= head_end + 4 + length) return data;
            }
            auto n = s.read_some(asio::buffer(buf), ec);
            if (ec) return data;
            data.append(buf, n);
        }
    }

    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::mutex mu_;
    std::vector<std::string> requests_;
};

// A port on 127.0.0.1 that nothing listens on (bound, then released).
unsigned short closed_port() {
    asio::io_context io;
    tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return a.local_endpoint().port();
}

Delivery sms_delivery() {
    return {"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "+79990001122", "Премьера оплачена", "Оплачено: «Маузер»", "", 0};
}

}  // namespace

TEST(SmsChannel, PostsTheTextAsJsonWithTheDeliveryAsIdempotencyKey) {
    FakeHttp provider(200);
    SmsChannel sms(provider.url("/v1/messages"));
    EXPECT_EQ(sms.name(), "sms");
    auto r = sms.send(sms_delivery());
    EXPECT_TRUE(r.sent) << r.error;
    EXPECT_EQ(r.error, "");
    auto reqs = provider.requests();
    ASSERT_EQ(reqs.size(), 1u);
    const auto& req = reqs[0];
    EXPECT_EQ(req.rfind("POST /v1/messages HTTP/1.1\r\n", 0), 0u) << req;
    EXPECT_NE(req.find("Idempotency-Key: 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\r\n"), std::string::npos) << req;
    EXPECT_NE(req.find("Content-Type: application/json\r\n"), std::string::npos) << req;
    auto body = boost::json::parse(req.substr(req.find("\r\n\r\n") + 4)).as_object();
    EXPECT_EQ(body, (boost::json::object{{"to", "+79990001122"},
                                         {"text", "Оплачено: «Маузер»"},
                                         {"id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}}));
}

TEST(SmsChannel, AnUrlWithoutPathPostsToSend) {
    FakeHttp provider(200);
    SmsChannel sms(provider.url(""));
    EXPECT_TRUE(sms.send(sms_delivery()).sent);
    auto reqs = provider.requests();
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].rfind("POST /send HTTP/1.1\r\n", 0), 0u) << reqs[0];
}

TEST(SmsChannel, AnAnswerOtherThan200IsAFailureNamingTheStatus) {
    FakeHttp provider(422);
    SmsChannel sms(provider.url("/send"));
    auto r = sms.send(sms_delivery());
    EXPECT_FALSE(r.sent);
    EXPECT_EQ(r.error, "sms gateway answered 422");
}

TEST(SmsChannel, AnUnreachableProviderIsAFailureNotAnException) {
    SmsChannel sms("http://127.0.0.1:" + std::to_string(closed_port()) + "/send");
    SendResult r;
    EXPECT_NO_THROW(r = sms.send(sms_delivery()));
    EXPECT_FALSE(r.sent);
    EXPECT_FALSE(r.error.empty());
}

TEST(EmailChannel, AnUnreachableSmtpServerIsAFailureNamingSmtp) {
    EmailChannel email("smtp://127.0.0.1:" + std::to_string(closed_port()), "no-reply@chance-video.local");
    EXPECT_EQ(email.name(), "email");
    SendResult r;
    EXPECT_NO_THROW(r = email.send({"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "anna@example.ru", "Премьера оплачена",
                                    "текст", "<p>html</p>", 0}));
    EXPECT_FALSE(r.sent);
    EXPECT_EQ(r.error.rfind("smtp: ", 0), 0u) << r.error;
}
