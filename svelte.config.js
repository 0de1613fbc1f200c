// Svelte 5 compiles <script lang="ts"> without a preprocessor.
export default {};
