# Sidekiq's own view of a database, printed as JSON, and job submission: the independent side of
# the live tests. Usage: ruby tool.rb REDIS_URL (report | enqueue JSON)
require "json"
require "sidekiq"
require "sidekiq/api"
require_relative "app"

Sidekiq.configure_client { |c| c.redis = { url: ARGV[0] } }
Sidekiq.logger.level = Logger::WARN

def by_queue(set)
  set.each_with_object(Hash.new(0)) { |job, acc| acc[job.queue] += 1 }
end

case ARGV[1]
when "enqueue"
  jids = JSON.parse(ARGV[2]).map do |job|
    klass = Object.const_get(job.fetch("class"))
    options = { "class" => klass, "args" => job.fetch("args", []) }
    options["queue"] = job["queue"] if job["queue"]
    options["at"] = Time.now.to_f + job["in"] if job["in"]
    Sidekiq::Client.push(options)
  end
  puts JSON.generate(jids)
when "report"
  stats = Sidekiq::Stats.new
  # ProcessSet.new(false): without the cleanup that removes identities whose hash is gone.
  processes = Sidekiq::ProcessSet.new(false).map do |p|
    { identity: p.identity, beat: p["beat"], busy: p["busy"], quiet: p["quiet"], queues: p["queues"] }
  end
  workers = Sidekiq::Workers.new.map do |process, thread, work|
    payload = work["payload"].is_a?(String) ? JSON.parse(work["payload"]) : work["payload"]
    { process: process, thread: thread, queue: work["queue"], jid: payload["jid"], run_at: work["run_at"] }
  end
  # `at`: the clock just after Queue#latency read it (latency = its own Time.now - enqueued_at), so a
  # test can recover enqueued_at however long the rest of this report takes on a loaded machine.
  queues = Sidekiq::Queue.all.to_h { |q| [q.name, { size: q.size, latency: q.latency, at: Time.now.to_f }] }
  puts JSON.generate(
    now: Time.now.to_f,
    stats: {
      processed: stats.processed, failed: stats.failed, scheduled: stats.scheduled_size,
      retry: stats.retry_size, dead: stats.dead_size, enqueued: stats.enqueued, workers: stats.workers_size,
    },
    queues: queues,
    scheduled_by_queue: by_queue(Sidekiq::ScheduledSet.new),
    retry_by_queue: by_queue(Sidekiq::RetrySet.new),
    dead_by_queue: by_queue(Sidekiq::DeadSet.new),
    processes: processes,
    workers: workers,
  )
when "job"
  jid = ARGV[2]
  found = [Sidekiq::RetrySet.new, Sidekiq::DeadSet.new, Sidekiq::ScheduledSet.new].lazy.map { |s| s.find_job(jid) }.find(&:itself)
  found ||= Sidekiq::Queue.all.lazy.map { |q| q.find_job(jid) }.find(&:itself)
  puts JSON.generate(found ? found.item : nil)
else
  abort "usage: tool.rb REDIS_URL (report | enqueue JSON | job JID)"
end
