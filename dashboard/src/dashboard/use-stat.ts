import { inject, onBeforeUnmount, ref, shallowRef, watch, type InjectionKey, type Ref, type WatchSource } from 'vue';
import { errorText } from '../api/http.ts';

/**
 * A counter the dashboard raises when its statistics should be asked again although nothing the
 * customer chose changed: a period that ends today goes on filling (use-dashboard.ts).
 */
export const LIVE_REFRESH: InjectionKey<Ref<number>> = Symbol('live-refresh');

/**
 * One statistics request that follows the dashboard: re-run whenever `source` changes, the
 * previous request aborted, the last answer kept visible (dimmed by `loading`) until the next one.
 * When the dashboard raises LIVE_REFRESH it is asked again quietly: nothing dims, and a failed
 * refresh leaves the last answer (and no error) in place; the next one tries again.
 */
export function useStat<T>(source: WatchSource<unknown>, load: (signal: AbortSignal) => Promise<T>) {
  const data = shallowRef<T>();
  const loading = ref(true);
  const error: Ref<string | null> = ref(null);
  let controller: AbortController | undefined;

  async function run(quiet = false) {
    // A refresh never replaces a load of something new that is still on its way.
    if (quiet && loading.value) return;
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    if (!quiet) {
      loading.value = true;
      error.value = null;
    }
    try {
      const result = await load(mine.signal);
      if (mine.signal.aborted) return;
      data.value = result;
      error.value = null;
    } catch (e) {
      if (mine.signal.aborted || quiet) return;
      error.value = errorText(e);
    } finally {
      if (!mine.signal.aborted) loading.value = false;
    }
  }

  // Re-run only when what is asked for changed: a getter that builds a new object with the same
  // content (params after an unrelated part of the dashboard state moved) must not reload a panel.
  let asked: string | undefined;
  watch(
    source,
    (value) => {
      const key = JSON.stringify(value ?? null);
      if (key === asked) return;
      asked = key;
      void run();
    },
    { immediate: true, deep: true },
  );
  const refreshes = inject(LIVE_REFRESH, undefined);
  if (refreshes) watch(refreshes, () => void run(true));
  onBeforeUnmount(() => controller?.abort());
  return { data, loading, error, reload: () => run() };
}
