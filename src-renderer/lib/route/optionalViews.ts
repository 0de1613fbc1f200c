import type { Component } from 'svelte';
import type { ApiClient } from '../api/apiClient.js';
import type { MonitorState } from '../state/monitorState.svelte.js';

/**
 * Views and panels another part of the app provides when it is built (Settings, a queue's task
 * lists). They are looked up by path at build time, so this code compiles and runs whether or
 * not they exist yet; the page shows a placeholder in their place until they do.
 *
 * Their props: `SettingsView` gets {@link SlotProps}; `components/tasklist/TaskLists.svelte`
 * gets {@link SlotProps} plus the queue (`connection`, `framework`, `name`).
 */
export interface SlotProps {
  client: ApiClient;
  monitor: MonitorState;
  now: number;
}

export interface QueueSlotProps extends SlotProps {
  connection: string;
  framework: string;
  name: string;
}

const settings = import.meta.glob<Component<SlotProps>>('../../views/SettingsView.svelte', { eager: true, import: 'default' });
const taskLists = import.meta.glob<Component<QueueSlotProps>>('../../components/tasklist/TaskLists.svelte', { eager: true, import: 'default' });

export const settingsView: Component<SlotProps> | null = Object.values(settings)[0] ?? null;
export const taskListsPanel: Component<QueueSlotProps> | null = Object.values(taskLists)[0] ?? null;
