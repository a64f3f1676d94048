#pragma once
// The fixture of the tests that need RabbitMQ: skips without
// STEWARD_TEST_AMQP_URL, hands out names nobody else uses and deletes them
// afterwards.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "amqp_test_util.hpp"
#include "bus/amqp_bus.hpp"
#include "bus/memory_outbox.hpp"

namespace steward::bus::test {

class BrokerTest : public ::testing::Test {
protected:
  void SetUp() override {
    url_ = test_broker();
    if (!url_) GTEST_SKIP() << "STEWARD_TEST_AMQP_URL is not set";
  }

  void TearDown() override {
    if (!url_) return;
    try {
      admin_connection cleanup(*url_);  // a fresh one: the broker may have restarted
      for (const auto& q : queues_) cleanup.delete_queue(q);
      for (const auto& x : exchanges_) cleanup.delete_exchange(x);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "cleaning up: " << e.what();
    }
  }

  const transport_url& url() const { return *url_; }

  admin_connection& admin() {
    if (!admin_) admin_ = std::make_unique<admin_connection>(*url_);
    return *admin_;
  }
  /// Forgets the admin connection (after a broker restart killed it).
  void reset_admin() { admin_.reset(); }

  void delete_queue_later(const std::string& q) { queues_.push_back(q); }
  void delete_exchange_later(const std::string& x) { exchanges_.push_back(x); }

  /// Options with a queue, dead-letter exchange and queue of the test's own
  /// and a quick reconnect.
  amqp_options options(outbox_source& outbox) {
    amqp_options opts(outbox);
    opts.url = *url_;
    opts.queue = unique_name("steward.test.queue");
    opts.dead_letter_exchange = unique_name("steward.test.dlx");
    opts.dead_letter_queue = unique_name("steward.test.dlq");
    opts.reconnect_min = std::chrono::milliseconds(100);
    opts.reconnect_max = std::chrono::milliseconds(1000);
    delete_queue_later(opts.queue);
    delete_queue_later(opts.dead_letter_queue);
    delete_exchange_later(opts.dead_letter_exchange);
    return opts;
  }

private:
  std::optional<transport_url> url_;
  std::unique_ptr<admin_connection> admin_;
  std::vector<std::string> queues_;
  std::vector<std::string> exchanges_;
};

} // namespace steward::bus::test
