import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../../../shared/api-client';
import { asApiError } from '../../../shared/hooks';
import type { ConfigVersion, Issue, VersionSummary, VersionedConfigApi } from './versioned-config-api';

export interface VersionedEditor<T> {
  /** The version the working copy started from (null while loading, or for a brand-new document). */
  base: ConfigVersion<T> | null;
  doc: T | null;
  dirty: boolean;
  versions: VersionSummary[];
  /** The server validator's messages for the working copy; empty when valid. */
  issues: Issue[];
  /** True once the working copy has been checked since its last change. */
  checked: boolean;
  busy: boolean;
  error: ApiError | null;
  notice: string | null;
  setError: (error: ApiError | null) => void;
  setNotice: (notice: string | null) => void;
  edit: (next: T) => void;
  load: (version: number) => Promise<void>;
  validate: () => Promise<boolean>;
  /** Saves the working copy as a draft (new, or the open draft) and returns it; null when refused. */
  save: (comment: string) => Promise<ConfigVersion<T> | null>;
  publish: (comment: string) => Promise<ConfigVersion<T> | null>;
  rollback: (version: number) => Promise<ConfigVersion<T> | null>;
  reloadVersions: () => Promise<void>;
}

const VALIDATE_DELAY_MS = 400;

/**
 * The working copy of a versioned document and the calls that move it through
 * its cycle. Every edit is checked by the server's validator shortly after it
 * is made, so a mistake shows on the node or rule it concerns while the admin
 * is still looking at it; saving and publishing run the same validator again.
 */
export function useVersionedEditor<T>(client: VersionedConfigApi<T> | null, initial?: { document: T }): VersionedEditor<T> {
  const [base, setBase] = useState<ConfigVersion<T> | null>(null);
  const [doc, setDoc] = useState<T | null>(null);
  const [dirty, setDirty] = useState(false);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const generation = useRef(0);

  const reloadVersions = useCallback(async () => {
    if (!client) return;
    try {
      setVersions(await client.versions());
    } catch (err) {
      setError(asApiError(err));
    }
  }, [client]);

  const adopt = (version: ConfigVersion<T>): void => {
    setBase(version);
    setDoc(version.document);
    setDirty(false);
    setIssues([]);
    setChecked(true);
  };

  // Open the draft being worked on if there is one, else the published version.
  useEffect(() => {
    if (!client) return;
    let cancelled = false;
    setBase(null);
    setDoc(null);
    setError(null);
    setNotice(null);
    void (async () => {
      try {
        const list = await client.versions();
        if (cancelled) return;
        setVersions(list);
        const open = list.find((v) => v.status === 'draft') ?? list.find((v) => v.status === 'published') ?? list[0];
        if (open) adopt(await client.version(open.version));
        else if (initial) {
          setDoc(initial.document);
          setDirty(true);
        }
      } catch (err) {
        if (!cancelled) setError(asApiError(err));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [client]);

  const validateNow = useCallback(async (document: T): Promise<boolean> => {
    if (!client) return false;
    const mine = ++generation.current;
    try {
      const result = await client.validate(document);
      if (mine === generation.current) {
        setIssues(result.errors);
        setChecked(true);
      }
      return result.ok;
    } catch (err) {
      if (mine === generation.current) setError(asApiError(err));
      return false;
    }
  }, [client]);

  useEffect(() => {
    if (!dirty || doc === null) return;
    setChecked(false);
    const timer = setTimeout(() => void validateNow(doc), VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [doc, dirty, validateNow]);

  const edit = useCallback((next: T) => {
    setDoc(next);
    setDirty(true);
    setNotice(null);
  }, []);

  const run = async <R>(work: () => Promise<R>): Promise<R | null> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (err) {
      const apiError = asApiError(err);
      // A refused draft comes back with every problem: show them where they belong too.
      if (apiError.code === 'VALIDATION_FAILED' && apiError.details.some((d) => d.path !== undefined)) {
        setIssues(apiError.details.filter((d): d is { path: string; message: string } => typeof d.path === 'string').map((d) => ({ path: d.path, message: d.message })));
        setChecked(true);
      }
      setError(apiError);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const saveInner = async (comment: string): Promise<ConfigVersion<T>> => {
    if (!client || doc === null) throw new ApiError(0, 'CLIENT', 'nothing to save');
    if (base && base.status === 'draft' && !dirty) return base;
    const saved = base && base.status === 'draft' ? await client.updateDraft(base.version, doc, comment) : await client.createDraft(doc, comment);
    adopt(saved);
    return saved;
  };

  const save = (comment: string): Promise<ConfigVersion<T> | null> => run(async () => {
    const saved = await saveInner(comment);
    await reloadVersions();
    return saved;
  });

  const publish = (comment: string): Promise<ConfigVersion<T> | null> => run(async () => {
    if (!client) return null;
    const draft = await saveInner(comment);
    const published = await client.publish(draft.version);
    adopt(published);
    await reloadVersions();
    return published;
  });

  const rollback = (version: number): Promise<ConfigVersion<T> | null> => run(async () => {
    if (!client) return null;
    const published = await client.rollback(version);
    adopt(published);
    await reloadVersions();
    return published;
  });

  const load = async (version: number): Promise<void> => {
    await run(async () => {
      if (!client) return;
      adopt(await client.version(version));
    });
  };

  return {
    base, doc, dirty, versions, issues, checked, busy, error, notice, setError, setNotice,
    edit, load, validate: () => (doc === null ? Promise.resolve(false) : validateNow(doc)), save, publish, rollback, reloadVersions,
  };
}
