import { createContext, type ReactNode, useContext, useEffect, useState } from "react";

/**
 * Lets a form tell the page title that it is showing errors found in the browser, so the title
 * gets its "Error:" prefix then too (server errors are read from the action data).
 */
const FormErrorsContext = createContext<{ shown: boolean; setShown: (shown: boolean) => void }>({
  shown: false,
  setShown: () => {},
});

export function FormErrorsProvider({ children }: { children: ReactNode }) {
  const [shown, setShown] = useState(false);
  return <FormErrorsContext.Provider value={{ shown, setShown }}>{children}</FormErrorsContext.Provider>;
}

export const useFormErrorsShown = () => useContext(FormErrorsContext).shown;

export function useReportFormErrors(shown: boolean): void {
  const { setShown } = useContext(FormErrorsContext);
  useEffect(() => {
    setShown(shown);
    return () => setShown(false);
  }, [shown, setShown]);
}
