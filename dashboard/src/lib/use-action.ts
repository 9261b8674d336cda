import { ref } from 'vue';
import { ApiError, errorText } from '../api/http.ts';

/**
 * A button's or form's request: `busy` while it runs, and its failure in words in `error` (never
 * swallowed). Field-level validation messages from the API land in `fieldErrors`.
 */
export function useAction() {
  const busy = ref(false);
  const error = ref<string | null>(null);
  const fieldErrors = ref<Record<string, string>>({});

  async function run<T>(action: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    error.value = null;
    fieldErrors.value = {};
    try {
      return await action();
    } catch (e) {
      error.value = errorText(e);
      if (e instanceof ApiError)
        fieldErrors.value = { ...(e.validation ?? {}), ...(e.field ? { [e.field]: e.message } : {}) };
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  /**
   * Whether the action went through. Use it for requests that answer nothing (204): `run` gives
   * `undefined` both for those and for a failure, so a removal that worked looked like one that did not.
   */
  async function succeeds(action: () => Promise<unknown>): Promise<boolean> {
    await run(action);
    return error.value === null;
  }

  return { busy, error, fieldErrors, run, succeeds };
}

/** Data loaded for a screen, with its loading and error states. */
export function useLoader<T>(load: () => Promise<T>) {
  const data = ref<T>();
  const loading = ref(true);
  const error = ref<string | null>(null);
  async function reload() {
    loading.value = true;
    error.value = null;
    try {
      data.value = await load();
    } catch (e) {
      error.value = errorText(e);
    } finally {
      loading.value = false;
    }
  }
  void reload();
  return { data, loading, error, reload };
}
