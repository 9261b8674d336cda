import { onBeforeUnmount, ref, shallowRef, watch, type Ref, type WatchSource } from 'vue';
import { errorText } from '../api/http.ts';

/**
 * One statistics request that follows the dashboard: re-run whenever `source` changes, the
 * previous request aborted, the last answer kept visible (dimmed by `loading`) until the next one.
 */
export function useStat<T>(source: WatchSource<unknown>, load: (signal: AbortSignal) => Promise<T>) {
  const data = shallowRef<T>();
  const loading = ref(true);
  const error: Ref<string | null> = ref(null);
  let controller: AbortController | undefined;

  async function run() {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    loading.value = true;
    error.value = null;
    try {
      const result = await load(mine.signal);
      if (mine.signal.aborted) return;
      data.value = result;
    } catch (e) {
      if (mine.signal.aborted) return;
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
  onBeforeUnmount(() => controller?.abort());
  return { data, loading, error, reload: run };
}
