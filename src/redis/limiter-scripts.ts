/**
 * The Lua side of SharedLimiter: three scripts over five keys of one budget, each one Redis round trip, atomic.
 *
 *   holders  ZSET lease id → expiry (ms, Redis clock)     the slots taken
 *   queue    ZSET waiter id → ticket (from seq)          waiters in arrival order
 *   waiting  ZSET waiter id → expiry (ms, Redis clock)   a waiter's heartbeat: a dead process's waiters leave
 *   seq      STRING                                      the ticket counter
 *   members  ZSET process id → expiry                    live processes, for the fallback's per-replica share
 *
 * Expiries use Redis's own clock (`TIME`), so replicas whose clocks disagree still agree on when a lease ends.
 * (redis-semaphore 5.8 passes each client's `Date.now()` instead; see docs/redis.md for why we do not use it.)
 * Every script first drops expired leases and dead waiters, and publishes on the budget's channel when a slot may
 * have become free, so waiters elsewhere try again at once instead of at their next poll.
 */

const PRELUDE = `
local holders, queue, waiting, seq, members, channel = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local freed = redis.call('ZREMRANGEBYSCORE', holders, '-inf', now)
for _, id in ipairs(redis.call('ZRANGEBYSCORE', waiting, '-inf', now)) do
  freed = freed + redis.call('ZREM', queue, id)
  redis.call('ZREM', waiting, id)
end
`;

/**
 * TAKE max leaseMs waiterTtlMs id… → the ids that hold a slot now.
 * An id takes a slot when fewer waiters are ahead of it than slots are free: a queued id counts those with a lower
 * ticket, a new id counts the whole queue, so nobody overtakes an earlier waiter of any process. An id that cannot
 * take one gets a ticket (once) and its waiter heartbeat renewed. An id that already holds a slot is returned again
 * (a retried call must not look like a lost grant).
 */
export const TAKE = `${PRELUDE}
local max, lease, wttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local granted = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  if redis.call('ZSCORE', holders, id) then
    granted[#granted + 1] = id
  else
    local rank = redis.call('ZRANK', queue, id)
    local ahead = rank or redis.call('ZCARD', queue)
    if ahead < max - redis.call('ZCARD', holders) then
      redis.call('ZADD', holders, now + lease, id)
      if rank then
        redis.call('ZREM', queue, id)
        redis.call('ZREM', waiting, id)
      end
      granted[#granted + 1] = id
    else
      if not rank then redis.call('ZADD', queue, redis.call('INCR', seq), id) end
      redis.call('ZADD', waiting, now + wttl, id)
    end
  end
end
local ttl = 2 * math.max(lease, wttl)
for k = 1, 4 do redis.call('PEXPIRE', KEYS[k], ttl) end
if freed > 0 then redis.call('PUBLISH', channel, 'freed') end
return granted
`;

/**
 * LEAVE id → 1 if the id held a slot or waited, else 0. Releasing a lease that already expired removes nothing, so it
 * can never free a slot someone else took since. Publishes when a slot or a place in the queue was given up.
 */
export const LEAVE = `${PRELUDE}
local id = ARGV[1]
local gone = redis.call('ZREM', holders, id) + redis.call('ZREM', queue, id)
redis.call('ZREM', waiting, id)
if gone + freed > 0 then redis.call('PUBLISH', channel, 'freed') end
return gone
`;

/**
 * HEARTBEAT leaseMs processId heldId… → {live processes, lost id…}: renews this process's presence and the leases it
 * still holds; a lease that is gone (it expired while the process stalled) is reported as lost, never re-created.
 */
export const HEARTBEAT = `${PRELUDE}
local lease = tonumber(ARGV[1])
redis.call('ZADD', members, now + lease, ARGV[2])
redis.call('ZREMRANGEBYSCORE', members, '-inf', now)
local result = { redis.call('ZCARD', members) }
for i = 3, #ARGV do
  if redis.call('ZSCORE', holders, ARGV[i]) then
    redis.call('ZADD', holders, now + lease, ARGV[i])
  else
    result[#result + 1] = ARGV[i]
  end
end
redis.call('PEXPIRE', holders, 2 * lease)
redis.call('PEXPIRE', members, 2 * lease)
if freed > 0 then redis.call('PUBLISH', channel, 'freed') end
return result
`;

/** The keys of one budget, in the order the scripts read them. The hash tag keeps them in one Redis Cluster slot. */
export function limiterKeys(prefix: string, name: string): string[] {
  const base = `${prefix}{${name}}`;
  return ['holders', 'queue', 'waiting', 'seq', 'members', 'freed'].map((k) => `${base}:${k}`);
}
