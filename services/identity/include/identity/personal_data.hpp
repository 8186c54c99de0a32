#pragma once
// A customer's personal data (152-ФЗ, docs/adr/0021): everything identity holds about an account, for the customer's
// download, and the account's deletion. Deleting keeps the row as the id the orders and the ledger name, with the
// address, name, phone and password gone, erases the account's links, and announces account.deleted so that the
// other services erase what they hold.
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "chance/http/router.hpp"
#include "chance/pg/pg.hpp"

namespace chance::identity {

class PersonalData {
  public:
    explicit PersonalData(pg::Pool& pool) : pool_(pool) {}
    // The account and its one-time links (their times and the addresses they confirm; never tokens). 404 unknown,
    // 410 deleted.
    boost::json::object export_of(int64_t user_id);
    // {password}: the account is deleted. 422 naming `password` when it is wrong, 404 unknown (or deleted already).
    // Answers {email}: the address the account had (the gateway forgets its failed sign-ins).
    boost::json::object erase(int64_t user_id, const std::string& body);

  private:
    pg::Pool& pool_;
};

void install_personal_data_routes(http::Router& router, PersonalData& data);

}  // namespace chance::identity
