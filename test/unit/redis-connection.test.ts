import { EventEmitter } from 'node:events';
import type Redis from 'ioredis';
import { connectRedis, describeRedisTarget, reconnectOnReadOnly, sentinelClientOptions, type RedisTarget } from '../../src/runtime/redis-connection';
import { PrimaryWatch } from '../../src/runtime/sentinel-primary-watch';

const single: RedisTarget = { url: 'redis://:s3cret@cache.office:6379/0', sentinels: [], sentinelName: 'mymaster', password: null, sentinelPassword: null };
const sentinel: RedisTarget = {
  url: null, sentinels: ['10.0.0.5:26379', 'sentinel-b', '[fd00::7]:26380'], sentinelName: 'switchboard', password: 'data-pw', sentinelPassword: 'sentinel-pw',
};

/** The one way src makes a Redis client from config (issue 14): one URL, or Sentinel following the primary. */
describe('the Redis connection factory', () => {
  it('asks the sentinels for the primary by name, with both passwords, and follows failovers', () => {
    const options = sentinelClientOptions(sentinel, { maxRetriesPerRequest: 2, enableOfflineQueue: false });
    expect(options).toMatchObject({
      sentinels: [{ host: '10.0.0.5', port: 26379 }, { host: 'sentinel-b', port: 26379 }, { host: 'fd00::7', port: 26380 }],
      name: 'switchboard', role: 'master', password: 'data-pw', sentinelPassword: 'sentinel-pw', maxRetriesPerRequest: 2, enableOfflineQueue: false,
    });
    // Its own detector can end a client for good (sentinel-primary-watch.ts): the watch does that job.
    expect(options.failoverDetector).toBeUndefined();
    expect(options.reconnectOnError).toBe(reconnectOnReadOnly);
    expect(sentinelClientOptions({ ...sentinel, password: null, sentinelPassword: null }, {})).not.toHaveProperty('password');
  });

  it('reconnects and resends on READONLY only: a write that reached the old primary, now a replica', () => {
    expect(reconnectOnReadOnly(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnectOnReadOnly(new Error("READONLY You can't write against a read only replica. script: 7389…, on @user_script:1."))).toBe(2);
    expect(reconnectOnReadOnly(new Error('NOSCRIPT No matching script. Please use EVAL.'))).toBe(false);
    expect(reconnectOnReadOnly(new Error('ERR wrong number of arguments'))).toBe(false);
  });

  it('makes a client of either kind, and says where it goes without the password', () => {
    const viaUrl = connectRedis(single, { lazyConnect: true });
    const viaSentinel = connectRedis(sentinel, { lazyConnect: true });
    try {
      expect(viaUrl.options).toMatchObject({ host: 'cache.office', port: 6379, password: 's3cret' });
      expect(viaUrl.options.sentinels).toBeFalsy();
      expect(viaUrl.options.reconnectOnError).toBeFalsy();
      expect(viaSentinel.options).toMatchObject({ name: 'switchboard', role: 'master' });
      // A duplicate (subscribers, the ACD event writer) keeps all of it, and is watched like its original.
      const duplicate = viaSentinel.duplicate({ lazyConnect: true });
      expect(duplicate.options).toMatchObject({ name: 'switchboard', reconnectOnError: reconnectOnReadOnly });
      expect(duplicate.constructor).toBe(viaSentinel.constructor);
      duplicate.disconnect();
    } finally {
      viaUrl.disconnect();
      viaSentinel.disconnect();
    }
    expect(describeRedisTarget(single)).toBe('redis://***@cache.office:6379/0');
    expect(describeRedisTarget(sentinel)).toBe('sentinel switchboard via 10.0.0.5:26379,sentinel-b,[fd00::7]:26380');
    expect(() => connectRedis({ ...single, url: null })).toThrow(/needs a URL or sentinels/);
  });

  it('moves connected clients that are not on the new primary when the sentinels announce it, and no others', () => {
    const watch = new PrimaryWatch([], 'mymaster', null);
    const client = (status: string, remotePort: number) => {
      const fake = Object.assign(new EventEmitter(), {
        status, stream: { remoteAddress: '::ffff:10.0.0.5', remotePort }, reconnects: 0,
        disconnect(reconnect: boolean) {
          if (reconnect) fake.reconnects += 1;
        },
      });
      watch.add(fake as unknown as Redis);
      fake.emit('ready');
      return fake;
    };
    const onHungPrimary = client('ready', 6379);
    const onNewPrimary = client('ready', 6380);
    const reconnecting = client('reconnecting', 6379);
    const ended = client('ready', 6379);
    ended.emit('end');

    watch.switched('other 10.0.0.5 6379 10.0.0.5 6380');
    expect(onHungPrimary.reconnects).toBe(0);
    watch.switched('mymaster 10.0.0.5 6379 10.0.0.5 6380');
    expect([onHungPrimary, onNewPrimary, reconnecting, ended].map((c) => c.reconnects)).toEqual([1, 0, 0, 0]);
  });
});
