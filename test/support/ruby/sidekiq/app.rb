# Jobs for the live Sidekiq 6.4 tests (test/support/sidekiqWorkers.ts starts `sidekiq -r` on this file).
require "sidekiq"

# Succeeds at once.
class OkJob
  include Sidekiq::Worker
  def perform(*args)
    args
  end
end

# Sleeps, so that a thread stays busy while the test reads.
class SleepJob
  include Sidekiq::Worker
  def perform(seconds)
    sleep seconds
  end
end

# Fails once and waits an hour for its retry: it stays in the retry set.
class RetryJob
  include Sidekiq::Worker
  sidekiq_options retry: 5, backtrace: true
  sidekiq_retry_in { |_count, _exception| 3600 }
  def perform(message)
    raise ArgumentError, message
  end
end

# Fails with no retries: straight to the dead set.
class DeadJob
  include Sidekiq::Worker
  sidekiq_options retry: 0
  def perform(message)
    raise KeyError, message
  end
end
