import { releaseInOrder } from '../../helpers/release';

describe('releaseInOrder (test teardown)', () => {
  it('runs every step in order, each even when one before it failed, then throws that failure as it is', async () => {
    const ran: string[] = [];
    const stuck = new Error('page will not close');
    const released = releaseInOrder([
      () => {
        ran.push('page');
        throw stuck;
      },
      async () => {
        ran.push('browser');
        await Promise.resolve();
      },
      () => ran.push('server'),
    ]);
    await expect(released).rejects.toBe(stuck);
    expect(ran).toEqual(['page', 'browser', 'server']);
  });

  it('reports every failure when several steps fail', async () => {
    const released = releaseInOrder([() => Promise.reject(new Error('a')), () => undefined, () => Promise.reject(new Error('b'))]);
    const err: unknown = await released.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AggregateError);
    expect((err as AggregateError).errors.map((e: Error) => e.message)).toEqual(['a', 'b']);
  });

  it('resolves when every step does', async () => {
    await expect(releaseInOrder([() => undefined, () => Promise.resolve()])).resolves.toBeUndefined();
  });

  it('abandons a step that hangs with an error naming it, and still runs the ones after it', async () => {
    const ran: string[] = [];
    const released = releaseInOrder([() => new Promise(() => undefined), () => ran.push('server')], { stepTimeoutMs: 50 });
    await expect(released).rejects.toThrow(/release step 1 of 2 .* did not finish in 50 ms/);
    expect(ran).toEqual(['server']);
  });
});
