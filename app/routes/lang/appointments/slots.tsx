// PLACEHOLDER: replaced by the helper that owns this route.
export default function Placeholder() {
  return null;
}
