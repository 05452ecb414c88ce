"""依申请公开: the register of requests for government information, their reply clocks, reply
letters, fees and appeals, and the public form applicants use."""
